"""Importing disclosures from an LMS survey CSV: one row per student and tool, errors per row."""
from integrity.disclosure.survey import import_survey

SURVEY = '''Login,Used AI tools,Tool,Version,Purposes,Files,Prompts,Honour statement
alee,yes,ChatGPT,GPT-4o,design;Writing code,bench.py,"Write a timer
---
Why is the first run slow?",I confirm.
alee,yes,GitHub Copilot,1.250,writing code,bench.py,,
bkumar,no,,,,,,I confirm.
cnguyen,maybe,ChatGPT,,debugging,,,
dokafor,yes,Claude,,tests,,,
dokafor,no,,,,,,
egarcia,no,,,design,,,
,yes,ChatGPT,,,,,
'''


def test_rows_become_one_disclosure_per_student():
    out = import_survey(SURVEY)
    assert sorted(out.disclosures) == ["alee", "bkumar"]
    alee = out.disclosures["alee"]
    assert alee.used_ai and alee.statement == "I confirm."
    assert [(t.name, t.version, t.purposes, t.files) for t in alee.tools] == [
        ("ChatGPT", "GPT-4o", ("design", "writing code"), ("bench.py",)),
        ("GitHub Copilot", "1.250", ("writing code",), ("bench.py",))]
    assert alee.tools[0].prompts == ("Write a timer", "Why is the first run slow?")
    bkumar = out.disclosures["bkumar"]
    assert bkumar.used_ai is False and bkumar.tools == ()


def test_each_bad_row_is_named_and_its_student_left_out():
    """Rows are numbered as a spreadsheet shows them: the header is row 1, a cell may span lines."""
    assert import_survey(SURVEY).errors == [
        "row 9: student: missing",
        "row 5 (cnguyen): used_ai: expected yes or no, found 'maybe'",
        "rows 6, 7 (dokafor): used_ai is yes on some rows and no on others",
        "row 8 (egarcia): tool: missing, though the row gives its version, purposes, files or prompts",
    ]


def test_a_survey_without_the_needed_columns_is_refused_whole():
    out = import_survey("name,tool\nalee,ChatGPT\n")
    assert out.disclosures == {}
    assert out.errors == ["the CSV has no student or used_ai column (found: name, tool)"]
