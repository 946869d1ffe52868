"""Reading and writing the import templates (CSV/XLSX): encodings, Chinese headers, typed cells and a
list of every problem. Pure Python — no Django — so that scripts and other floors can use it alone."""

from jixing.tables.columns import CellProblem, Column, Kind, TableSpec
from jixing.tables.problems import ImportRefused, Problem, ProblemList, format_problem_table
from jixing.tables.reading import ENCODING_ERROR, Row, TableReader, read_table
from jixing.tables.templates import (
    ACCOUNTS_TEMPLATE,
    LEARNERS_TEMPLATE,
    NOMINATIONS_TEMPLATE,
    ORGS_TEMPLATE,
    ROLES_TEMPLATE,
    TEMPLATES,
    split_list,
)
from jixing.tables.writing import template_bytes, write_csv, write_xlsx

__all__ = [
    "ACCOUNTS_TEMPLATE",
    "ENCODING_ERROR",
    "LEARNERS_TEMPLATE",
    "NOMINATIONS_TEMPLATE",
    "ORGS_TEMPLATE",
    "ROLES_TEMPLATE",
    "TEMPLATES",
    "CellProblem",
    "Column",
    "ImportRefused",
    "Kind",
    "Problem",
    "ProblemList",
    "Row",
    "TableReader",
    "TableSpec",
    "format_problem_table",
    "read_table",
    "split_list",
    "template_bytes",
    "write_csv",
    "write_xlsx",
]
