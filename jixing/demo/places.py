"""The places and institutions of the demo province: data, no logic.

Cities, counties and districts are real places (names of places, not of people). Provincial agencies,
universities and schools carry the generic names such bodies have; companies, social organisations and
villages are made up (see names.py). Every figure attached to them later is synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class City:
    key: str  # short Latin key: nomination numbers (2022-TY-0001) and demo user names
    username: str
    name: str
    code: str  # org code and the first four digits of its area code (1401 → 140100)
    # The city-level area code (xx00) exists in stdnum's table only from the year the city was created;
    # IDs of people born before carry the predecessor prefecture's code (also xx00), as real IDs do.
    since: int
    predecessor: str
    counties: tuple[str, ...]

    @property
    def area_code(self) -> str:
        return f"{self.code}00"


CITIES: tuple[City, ...] = (
    City("TY", "taiyuan", "太原市", "1401", 0, "140100",
         ("小店区", "迎泽区", "杏花岭区", "尖草坪区", "万柏林区", "晋源区", "清徐县", "阳曲县", "娄烦县", "古交市")),
    City("DT", "datong", "大同市", "1402", 0, "140200",
         ("平城区", "云冈区", "新荣区", "云州区", "阳高县", "天镇县", "广灵县", "灵丘县", "浑源县", "左云县")),
    City("YQ", "yangquan", "阳泉市", "1403", 0, "140300",
         ("阳泉市城区", "阳泉市矿区", "阳泉市郊区", "平定县", "盂县")),
    City("CZ", "changzhi", "长治市", "1404", 0, "140400",
         ("潞州区", "上党区", "屯留区", "潞城区", "襄垣县", "平顺县", "黎城县", "壶关县", "长子县", "武乡县", "沁县", "沁源县")),
    City("JC", "jincheng", "晋城市", "1405", 1985, "142500",
         ("晋城市城区", "沁水县", "阳城县", "陵川县", "泽州县", "高平市")),
    City("SZ", "shuozhou", "朔州市", "1406", 1988, "142100",
         ("朔城区", "平鲁区", "山阴县", "应县", "右玉县", "怀仁市")),
    City("JZ", "jinzhong", "晋中市", "1407", 1999, "142400",
         ("榆次区", "太谷区", "榆社县", "左权县", "和顺县", "昔阳县", "寿阳县", "祁县", "平遥县", "灵石县", "介休市")),
    City("YC", "yuncheng", "运城市", "1408", 2000, "142700",
         ("盐湖区", "临猗县", "万荣县", "闻喜县", "稷山县", "新绛县", "绛县", "垣曲县", "夏县", "平陆县", "芮城县", "永济市", "河津市")),
    City("XZ", "xinzhou", "忻州市", "1409", 2000, "142200",
         ("忻府区", "定襄县", "五台县", "代县", "繁峙县", "宁武县", "静乐县", "神池县", "五寨县", "岢岚县", "河曲县", "保德县", "偏关县", "原平市")),
    City("LF", "linfen", "临汾市", "1410", 2000, "142600",
         ("尧都区", "曲沃县", "翼城县", "襄汾县", "洪洞县", "古县", "安泽县", "浮山县", "吉县", "乡宁县", "大宁县", "隰县", "永和县", "蒲县", "汾西县", "侯马市", "霍州市")),
    City("LL", "lvliang", "吕梁市", "1411", 2003, "142300",
         ("离石区", "文水县", "交城县", "兴县", "临县", "柳林县", "石楼县", "岚县", "方山县", "中阳县", "交口县", "孝义市", "汾阳市")),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Committee:
    """A provincial work committee (省直工委): a 报送单位 with its own 通讯站."""

    key: str
    username: str
    name: str
    code: str
    # (sector, unit name) pairs placed directly under the committee; "*" entries are generated.
    units: tuple[tuple[str, str], ...]


COMMITTEES: tuple[Committee, ...] = (
    Committee("SZJG", "szjg", "省直机关工委宣传部通讯站", "1491", (
        ("党政机关", "山西省发展和改革委员会"), ("党政机关", "山西省财政厅"),
        ("党政机关", "山西省人力资源和社会保障厅"), ("党政机关", "山西省自然资源厅"),
        ("党政机关", "山西省生态环境厅"), ("党政机关", "山西省住房和城乡建设厅"),
        ("党政机关", "山西省交通运输厅"), ("党政机关", "山西省水利厅"),
        ("党政机关", "山西省农业农村厅"), ("党政机关", "山西省商务厅"),
        ("党政机关", "山西省文化和旅游厅"), ("党政机关", "山西省卫生健康委员会"),
        ("党政机关", "山西省统计局"), ("事业单位", "山西省图书馆"), ("事业单位", "山西省档案馆"),
        ("人民团体", "山西省总工会"), ("人民团体", "共青团山西省委员会"),
        ("人民团体", "山西省妇女联合会"), ("人民团体", "山西省科学技术协会"),
    )),
    Committee("JYGW", "jygw", "省委教育工委宣传部通讯站", "1492", (
        ("高校", "山西大学"), ("高校", "太原理工大学"), ("高校", "山西医科大学"),
        ("高校", "山西师范大学"), ("高校", "山西财经大学"), ("高校", "山西农业大学"),
        ("高校", "中北大学"), ("高校", "太原科技大学"), ("高校", "山西中医药大学"),
        ("高校", "山西大同大学"), ("高校", "太原师范学院"), ("高校", "长治学院"),
        ("高校", "运城学院"), ("高校", "晋中学院"), ("高校", "吕梁学院"), ("高校", "忻州师范学院"),
        ("事业单位", "山西省教育科学研究院"), ("中小学", "山西省实验中学"),
    )),
    Committee("GZW", "gzw", "省国资委党委宣传部通讯站", "1493", (
        ("企业", "*集团"), ("企业", "*集团"), ("企业", "*集团"), ("企业", "*集团"),
        ("企业", "*集团"), ("企业", "*集团"), ("企业", "*集团"), ("企业", "*集团"),
        ("企业", "*集团"), ("企业", "*集团"),
    )),
    Committee("JRGW", "jrgw", "省委金融工委宣传部通讯站", "1494", (
        ("企业", "*银行"), ("企业", "*银行"), ("企业", "*银行"), ("企业", "*证券"),
        ("企业", "*保险"), ("企业", "*担保"), ("事业单位", "山西省地方金融研究中心"),
    )),
    Committee("LXGW", "lxgw", "省委两新工委宣传部通讯站", "1495", (
        ("社会组织", "山西省青年企业家协会"), ("社会组织", "山西省软件行业协会"),
        ("社会组织", "山西省物流与采购联合会"), ("社会组织", "山西省慈善总会"),
        ("社会组织", "山西省志愿服务联合会"), ("企业", "*民营"), ("企业", "*民营"),
        ("企业", "*民营"), ("企业", "*民营"), ("其他", "*律所"), ("其他", "*律所"),
    )),
)  # fmt: skip

PROVINCE_CODE = "14"
PROVINCE_NAME = "山西省"
# Area code for USCCs of provincial bodies (the province itself, never a person's ID prefix).
PROVINCE_AREA_CODE = "140000"

# Units of a county, by sector: names from "{c}" (the county's name). The first entries of each list are
# always used; later ones only when a county draws more units of that sector.
COUNTY_UNITS: dict[str, tuple[str, ...]] = {
    "党政机关": ("{c}委组织部", "{c}人民政府办公室", "{c}财政局", "{c}教育局", "{c}卫生健康局",
                 "{c}农业农村局", "{c}市场监督管理局", "{c}人民法院", "{c}人民检察院", "{c}退役军人事务局"),
    "中小学": ("{c}第一中学", "{c}实验小学", "{c}第二中学", "{c}实验中学", "{c}第三小学",
               "{c}职业中学", "{c}第五中学", "{c}城关小学"),
    "事业单位": ("{c}人民医院", "{c}融媒体中心", "{c}中医医院", "{c}图书馆", "{c}疾病预防控制中心",
                 "{c}文化馆"),
    "人民团体": ("{c}总工会", "共青团{c}委员会", "{c}妇女联合会", "{c}科学技术协会"),
    "社会组织": ("{c}个体劳动者协会", "{c}慈善协会", "{c}志愿者协会", "{c}书法家协会"),
}  # fmt: skip

CITY_UNITS: dict[str, tuple[str, ...]] = {
    "党政机关": ("{c}委办公室", "{c}财政局", "{c}教育局", "{c}住房和城乡建设局", "{c}交通运输局",
                 "{c}文化和旅游局"),
    "事业单位": ("{c}第一人民医院", "{c}图书馆", "{c}广播电视台", "{c}疾病预防控制中心"),
    "中小学": ("{c}第五中学", "{c}实验小学", "{c}外国语学校"),
    "人民团体": ("{c}总工会", "{c}妇女联合会"),
    "社会组织": ("{c}社会组织促进会", "{c}红十字志愿服务队"),
}  # fmt: skip

DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "党政机关": ("办公室", "综合科", "政策法规科", "人事科", "财务科", "机关党委", "信息中心"),
    "事业单位": ("办公室", "党委办公室", "业务一部", "业务二部", "财务科", "后勤保障部"),
    "人民团体": ("办公室", "组织部", "宣传部", "权益保障部"),
    "企业": ("办公室", "党群工作部", "人力资源部", "财务部", "生产技术部", "安全环保部", "市场营销部",
             "第一分厂", "第二分厂"),
    "高校": ("党委宣传部", "马克思主义学院", "文学院", "数学科学学院", "物理与电子工程学院",
             "经济管理学院", "外国语学院", "计算机与信息技术学院", "法学院", "教育科学学院"),
    "中小学": ("校办公室", "教务处", "政教处", "一年级组", "二年级组", "三年级组", "总务处"),
    "社会组织": ("秘书处", "会员服务部"),
    "其他": ("综合办", "业务部"),
}  # fmt: skip

# Sub-departments for a university's schools (部门 under 部门, which the tree allows).
SUB_DEPARTMENTS: tuple[str, ...] = ("教工党支部", "学生党支部", "教研室")
