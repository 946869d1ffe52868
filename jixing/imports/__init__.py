"""Imports as background jobs: the uploaded file stored privately, a task that runs the owning domain's
import function (orgs, people) and writes its progress where the 数据导入 page polls it."""
