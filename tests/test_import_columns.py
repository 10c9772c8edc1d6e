"""CSV and TSV files without an `id` column, read through a column map, and Anki's plain-text
export (`#separator:`, `#html:`, `#columns:`, `#tags column:` headers). Ids are generated from
the question text, so importing again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.bank.importers.delimited import ColumnMapError, parse_column_map
from mockinterview.bank.importers.ids import generated_id, normalise_question, question_key
from mockinterview.bank.importing import detect_format, import_files, read_source
from mockinterview.cli import main
from mockinterview.rubrics.derive import derive_rubric

ANKI_EXPORT = (
    "#separator:tab\n"
    "#html:true\n"
    "#columns:Front\tBack\tTags\n"
    "#tags column:3\n"
    "What is a <b>p-value</b>?\tThe chance, if the null hypothesis holds, of data at least this"
    " extreme.<br>It is <i>not</i> the chance that the null is true.\tstats hypothesis-testing\n"
    '"Name two &quot;ensemble&quot; methods"\t"Two families:<ol><li>Bagging: trains on'
    ' bootstrap samples</li><li>Boosting: fits the errors of the previous models</li></ol>"\tml\n'
    "{{c1::Entropy}} measures impurity.\tx\t\n"
    '<img src="roc.png">\tAn ROC curve.\t\n'
)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_csv_without_ids_is_read_through_the_column_map(tmp_path: Path) -> None:
    source = tmp_path / "cards.csv"
    source.write_text(
        "Front,Back,Deck,Tags,Notes\n"
        "What is recall?,The share of real positives the model finds: TP / (TP + FN).,"
        "Model Metrics,ml;metrics,\n"
        '"What is precision?","The share of predicted positives that are right.\n'
        '1) Counts false positives 2) Ignores false negatives",Model Metrics,,ignored\n',
        encoding="utf-8",
    )
    columns = parse_column_map("question=Front,answer=Back,topic=Deck,tags=Tags")
    result = read_source(source, columns=columns)
    assert result.problems == []
    recall, precision = result.questions
    assert (recall.question, recall.topic, recall.tags) == (
        "What is recall?",
        "model metrics",
        ["ml", "metrics"],
    )
    assert precision.line == 3 and precision.answer.endswith("2) Ignores false negatives")
    root = tmp_path / "bank"
    report = import_files([source], root, columns=columns)
    assert report.ok and len(report.created) == 2
    bank = load_bank(root)
    expected = generated_id("model metrics", question_key("What is recall?"))
    assert expected in bank.questions
    assert bank.questions[expected].path == root / "model-metrics" / f"{expected}.md"
    (point_ids,) = {
        len(derive_rubric(q).points) for q in bank.questions.values() if "precision" in q.question
    }
    assert point_ids == 2  # "1) ... 2) ..." on one line: one point each


def test_known_headers_need_no_map_and_a_headerless_tsv_is_question_then_answer(
    tmp_path: Path,
) -> None:
    named = tmp_path / "qa.tsv"
    named.write_text("Question\tAnswer\nWhy shuffle data?\tTo break order effects.\n")
    (entry,) = read_source(named).questions
    assert (entry.question, entry.answer, entry.line) == (
        "Why shuffle data?",
        "To break order effects.",
        2,
    )
    bare = tmp_path / "bare.tsv"
    bare.write_text("Why scale features?\tSo no feature dominates the distance.\textra\n")
    (entry,) = read_source(bare).questions
    assert entry.answer == "So no feature dominates the distance." and entry.line == 1
    by_position = read_source(bare, columns={"question": "1", "answer": "3"}).questions
    assert by_position[0].answer == "extra"


def test_anki_text_export_is_detected_and_its_html_turned_to_text(tmp_path: Path) -> None:
    export = tmp_path / "export.txt"
    export.write_text(ANKI_EXPORT, encoding="utf-8")
    assert detect_format(export, export.read_bytes()) == "anki-text"
    result = read_source(export)
    pvalue, ensembles = result.questions
    assert pvalue.question == "What is a p-value?"
    assert pvalue.answer.endswith("\nIt is not the chance that the null is true.")
    assert pvalue.tags == ["stats", "hypothesis-testing"]
    assert ensembles.question == 'Name two "ensemble" methods'
    assert ensembles.answer == (
        "Two families:\n1. Bagging: trains on bootstrap samples\n"
        "2. Boosting: fits the errors of the previous models"
    )
    assert dict(result.skipped) == {"cloze note": 1, "media only": 1}
    assert [p.line for p in result.problems] == [7, 8]
    root = tmp_path / "bank"
    import_files([export], root)
    question = next(q for q in load_bank(root).questions.values() if "ensemble" in q.question)
    assert [p.title for p in derive_rubric(question).points] == ["Bagging", "Boosting"]


def test_anki_export_with_guid_and_deck_columns_keeps_ids_across_question_edits(
    tmp_path: Path,
) -> None:
    export = tmp_path / "export.txt"
    header = "#separator:tab\n#html:false\n#guid column:1\n#deck column:2\n#tags column:5\n"
    export.write_text(header + "Xy!9+a\tPrep::Statistics\tWhat is variance?\tSpread.\tbasics\n")
    root = tmp_path / "bank"
    first = import_files([export], root)
    (qid,) = first.created_ids
    assert qid.startswith("ST-")
    question = load_bank(root).questions[qid]
    assert question.topic == "statistics" and question.tags == ["basics"]
    export.write_text(header + "Xy!9+a\tPrep::Statistics\tWhat is a variance?\tSpread.\tbasics\n")
    report = import_files([export], root, replace=True)
    assert report.created == [] and [p.stem for p in report.updated] == [qid]


def test_importing_again_changes_nothing_and_an_edited_answer_needs_replace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "cards.tsv"
    source.write_text("Front\tBack\nWhat is a z-score?\tDistance from the mean in SDs.\n")
    bank = tmp_path / "b" / "bank"
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(source))
    assert code == 0 and out.splitlines()[-1].startswith("1 created")
    before = snapshot(tmp_path / "b")
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(source))
    assert code == 0 and out.splitlines()[-1].startswith("0 created, 0 updated, 1 unchanged")
    assert snapshot(tmp_path / "b") == before
    source.write_text("Front\tBack\nWhat is a z-score?\tHow many SDs a value is from the mean.\n")
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(source))
    assert code == 1 and "answer text differs" in out and snapshot(tmp_path / "b") == before
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", "--replace", str(source))
    assert code == 0 and "updated: " in out
    (qid,) = load_bank(bank).questions
    assert f"`mockinterview rubrics build {qid}`" in out  # the rubric is now stale: said how
    source.write_text("Front\tBack\nWhat is a standard score?\tHow many SDs from the mean.\n")
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(source))
    assert code == 0 and len(load_bank(bank).questions) == 2  # a new question text: a new id


def test_question_text_is_normalised_for_the_id() -> None:
    assert normalise_question("What is **bias**?") == normalise_question(" what is  bias ")
    assert generated_id("machine learning", question_key("What is bias?")).startswith("ML-")
    assert (
        generated_id("", "q:x") == generated_id("", "q:x") and generated_id("", "q:x")[:2] == "Q-"
    )


def _missing_column(tmp_path: Path) -> tuple[Path, list[str], str]:
    source = tmp_path / "cards.csv"
    source.write_text("Front,Back\nWhy?,Because.\n")
    return (
        source,
        ["--columns", "question=Front,answer=Answer"],
        "--columns maps answer to 'Answer', but the file has no such column "
        "(its columns: Front, Back)",
    )


def _unclosed_quote(tmp_path: Path) -> tuple[Path, list[str], str]:
    source = tmp_path / "open.tsv"
    source.write_text('Front\tBack\nWhy?\t"Because.\nHow?\tLike so.\n')
    return source, [], f"{source}:2: bad quoting: unexpected end of data"


def _binary(tmp_path: Path) -> tuple[Path, list[str], str]:
    source = tmp_path / "cards.csv"
    source.write_bytes(b"Front,Back\n\x00\x01\x02")
    return source, [], "binary data (NUL bytes), not a text file"


def _broken_html(tmp_path: Path) -> tuple[Path, list[str], str]:
    source = tmp_path / "export.txt"
    source.write_text("#separator:tab\n#html:true\nWhat is AUC?\tThe area <span class='a\n")
    return source, [], f"{source}:3: broken HTML: unterminated tag"


def _no_answer_column(tmp_path: Path) -> tuple[Path, list[str], str]:
    source = tmp_path / "one.csv"
    source.write_text("Question,Notes\nWhy?,n/a\n")
    return source, [], "cannot tell which column holds the answer"


@pytest.mark.parametrize(
    "make", [_missing_column, _unclosed_quote, _binary, _broken_html, _no_answer_column]
)
def test_bad_tables_end_in_a_named_error_and_leave_the_bank_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object
) -> None:
    bank = tmp_path / "b" / "bank"
    seed = tmp_path / "seed.tsv"
    seed.write_text("Front\tBack\nWhat is a z-score?\tDistance from the mean in SDs.\n")
    run(capsys, "--bank", str(bank), "bank", "import", str(seed))
    before = snapshot(tmp_path / "b")
    source, flags, message = make(tmp_path)  # type: ignore[operator]
    code, out, err = run(capsys, "--bank", str(bank), "bank", "import", *flags, str(source))
    assert code == 1 and not err
    assert message in out and f"{source}:" in out
    assert snapshot(tmp_path / "b") == before


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("question", "is not ROLE=COLUMN"),
        ("query=Front", "unknown field 'query'"),
        ("question=A,question=B", "'question' is given twice"),
    ],
)
def test_a_bad_column_map_is_a_usage_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: str, message: str
) -> None:
    with pytest.raises(ColumnMapError, match=message):
        parse_column_map(spec)
    source = tmp_path / "cards.csv"
    source.write_text("Front,Back\nWhy?,Because.\n")
    code, _, err = run(
        capsys, "--bank", str(tmp_path / "bank"), "bank", "import", "--columns", spec, str(source)
    )
    assert code == 1 and message in err
    assert not (tmp_path / "bank").exists()


def test_bank_list_ends_with_the_questions_per_topic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "cards.csv"
    source.write_text(
        "Front,Back,Deck\nWhy?,Because.,Statistics\nHow?,Like so.,Statistics\n"
        "What?,That.,Databases\n"
    )
    bank = tmp_path / "bank"
    run(capsys, "--bank", str(bank), "bank", "import", str(source))
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "list")
    assert code == 0
    tail = out.splitlines()[-4:]
    assert [line.split() for line in tail[:3]] == [
        ["TOPIC", "QUESTIONS"],
        ["databases", "1"],
        ["statistics", "2"],
    ]
    assert tail[3] == f"3 question(s) in {bank}"


def test_the_command_line_offers_every_format_the_importer_reads() -> None:
    from mockinterview.bank.importing import FORMATS
    from mockinterview.cli import build_parser

    args = build_parser().parse_args(["bank", "import", "x.csv", "--format", "anki-text"])
    assert args.format == "anki-text"
    parser = build_parser()
    for fmt in FORMATS:
        assert parser.parse_args(["bank", "import", "x", "--format", fmt]).format == fmt
