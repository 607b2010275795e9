"""Korean output: every preset and notation in Korean with no English sentence left, kotex in LaTeX,
searchable Hangul in the PDF, and the command line's language from --lang, the spec, the locale."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest

from tracer.check.grading import Tolerance, check
from tracer.check.render import render
from tracer.cli import main
from tracer.documents.pdf import compile_latex
from tracer.documents.render import render_latex, render_markdown, render_terminal
from tracer.i18n import language, speaking
from tracer.spec import NOTATIONS, load_spec, preset_names
from tracer.trace import trace

# Four or more English words in a row: a sentence, or most of one.
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){3,}")
# What may stay English: maths, code, file names and the titles of works (「…」, 『…』).
MARKDOWN_NOT_PROSE = re.compile(
    r"```.*?```|\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|「[^」]*」|『[^』]*』|\]\([^)]*\)|^ *tracer .*$|<[^>]*>",
    re.S | re.M,
)
LATEX_NOT_PROSE = re.compile(
    r"\\begin\{(aligned|align\*|equation\*|tikzpicture|gather\*)\}.*?\\end\{\1\}|\\\[.*?\\\]|\$[^$]*\$"
    r"|`[^`]*`|\\texttt\{[^}]*\}|「[^」]*」|『[^』]*』|\\[A-Za-z]+\*?(?:\[[^\]]*\])?",
    re.S,
)


def english_sentences(text: str, not_prose: re.Pattern = MARKDOWN_NOT_PROSE) -> list[str]:
    """Return the runs of English words left in ``text`` once maths, code and titles are taken out."""
    return ENGLISH.findall(not_prose.sub(" ", text))


def test_the_detector_finds_an_english_sentence_and_skips_maths_and_code():
    assert english_sentences("순전파. The loss went down here.") == ["The loss went down here"]
    assert (
        english_sentences("식 $a = b + c \\cdot d$ 와 `tracer trace mazur --lang ko` 「A Step by Step」")
        == []
    )


@pytest.fixture(scope="module", params=preset_names())
def preset(request):
    return request.param


@pytest.mark.parametrize("notation", NOTATIONS)
def test_markdown_in_korean_has_no_english_sentence(preset, notation):
    result = trace(load_spec(preset, notation))
    with speaking("ko"):
        text = render_markdown(result)
    assert "순전파" in text and "역전파" in text
    assert english_sentences(text) == []


def test_latex_and_terminal_in_korean_have_no_english_sentence(preset):
    result = trace(load_spec(preset))
    with speaking("ko"):
        latex, terminal = render_latex(result), render_terminal(result, width=80)
    assert "\\usepackage{kotex}" in latex
    assert english_sentences(latex.partition("\\begin{document}")[2], LATEX_NOT_PROSE) == []
    assert "순전파" in terminal and english_sentences(terminal) == []


def test_a_definition_by_cases_says_for_and_otherwise_in_korean():
    # ReLU's slope printed \text{for } z > 0 and \text{otherwise} in the Korean LaTeX and PDF.
    result = trace(load_spec("relu"))
    with speaking("ko"):
        korean = render_latex(result)
    with speaking("en"):
        english = render_latex(result)
    assert r"1 & z^{2}_{1} > 0\text{일 때} \\0 & \text{그 밖의 경우}" in korean
    assert "otherwise" not in korean and r"\text{for }" not in korean
    assert r"1 & \text{for } z^{2}_{1} > 0 \\0 & \text{otherwise}" in english


def test_english_latex_does_not_load_kotex():
    with speaking("en"):
        assert "kotex" not in render_latex(trace(load_spec("mazur")))


@pytest.fixture(scope="module")
def korean_pdfs() -> dict[str, bytes]:
    """Return every preset's worked example compiled in Korean, by preset (two TeX runs at a time)."""
    with speaking("ko"):
        sources = {name: render_latex(trace(load_spec(name))) for name in preset_names()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(sources, pool.map(compile_latex, sources.values()), strict=True))


@pytest.mark.xdist_group("korean-pdfs")  # one worker compiles them, not each
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex and texlive-lang-korean")
def test_a_korean_pdf_compiles_and_its_hangul_is_searchable(preset, korean_pdfs, tmp_path):
    (tmp_path / "ko.pdf").write_bytes(korean_pdfs[preset])
    text = subprocess.run(["pdftotext", str(tmp_path / "ko.pdf"), "-"], capture_output=True, text=True).stdout
    assert "역전파의 식" in text and "순전파" in text


def test_a_check_report_in_korean_says_right_wrong_and_carried_forward(tmp_path):
    answers = tmp_path / "homework.toml"
    answers.write_text("net_h1 = 0.3775\nnet_o1 = 0.7456\nout_o1 = 0.6782\n", encoding="utf-8")
    result = check(trace(load_spec("mazur")), answers, Tolerance(decimals=4), None, "mazur")
    with speaking("ko"):
        terminal, markdown = render(result, "term"), render(result, "md")
    for text in (terminal, markdown):
        assert "맞음" in text and "틀림" in text and "오류가 이어짐" in text
        assert english_sentences(text) == []


def run(capsys, *words: str) -> tuple[int, str, str]:
    with speaking(language()):  # the command chooses its language; the test's stays as it was
        status = main(list(words))
    out, err = capsys.readouterr()
    return status, out, err


def test_lang_ko_writes_the_worked_example_in_korean(capsys):
    status, out, _err = run(capsys, "trace", "mazur", "--format", "md", "--lang", "ko")
    assert status == 0 and out.startswith("# 마주르의 단계별 역전파 예제")


def test_a_bad_spec_gives_one_korean_line_naming_the_field(capsys, tmp_path):
    spec = tmp_path / "broken.toml"
    spec.write_text(
        load_spec_text().replace('activations = "sigmoid"', 'activations = "sigmod"'), encoding="utf-8"
    )
    status, out, err = run(capsys, "trace", str(spec), "--lang", "ko")
    assert status == 2 and out == ""
    assert err == 'tracer: activations[1]: 알 수 없는 활성화 함수 "sigmod". 혹시 "sigmoid"인가요?\n'


def load_spec_text() -> str:
    return (
        'layers = [2, 1]\nactivations = "sigmoid"\nlearning_rate = 0.5\n'
        "[[samples]]\nx = [1.0, 0.5]\ny = [1.0]\n"
    )


@pytest.mark.parametrize(
    "line, field",
    [
        ("learning_rate = -1", "learning_rate"),
        ("layers = [2, 0]", "layers[1]"),
        ('loss = "crossentropy"', "loss"),
        ('lang = "fr"', "lang"),
        ("colour = 1", "colour"),
    ],
)
def test_each_kind_of_bad_input_is_one_korean_line(capsys, tmp_path, line, field):
    key = line.split(" =")[0]
    text = "\n".join(row for row in load_spec_text().splitlines() if not row.startswith(key + " "))
    spec = tmp_path / "broken.toml"
    spec.write_text(line + "\n" + text + "\n", encoding="utf-8")
    status, _out, err = run(capsys, "trace", str(spec), "--lang", "ko")
    assert status == 2 and err.count("\n") == 1
    assert err.startswith(f"tracer: {field}: ") and re.search("[가-힣]", err)


def test_the_spec_lang_key_and_the_locale_choose_korean_unless_lang_says_otherwise(
    capsys, tmp_path, monkeypatch
):
    spec = tmp_path / "ko.toml"
    spec.write_text('lang = "ko"\ntitle = "Mazur"\n' + load_spec_text(), encoding="utf-8")
    assert "순전파" in run(capsys, "trace", str(spec), "--format", "md")[1]
    assert "Forward pass" in run(capsys, "trace", str(spec), "--format", "md", "--lang", "en")[1]
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    assert "순전파" in run(capsys, "trace", "mazur", "--format", "md")[1]
    assert "Forward pass" in run(capsys, "trace", "mazur", "--format", "md", "--lang", "en")[1]


def test_help_and_command_line_mistakes_are_korean(capsys):
    with pytest.raises(SystemExit) as done:
        run(capsys, "trace", "--help", "--lang", "ko")
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("사용법: tracer trace")
    assert "출력과 메시지의 언어" in out and "옵션:" in out
    with pytest.raises(SystemExit) as done:
        run(capsys, "trace", "mazur", "--format", "docx", "--lang", "ko")
    assert done.value.code == 2
    assert "잘못된 선택" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["trace", "check", "handout", "train", "ids", "presets", "reports"])
def test_every_command_takes_lang(command, capsys):
    with pytest.raises(SystemExit):
        run(capsys, command, "--help", "--lang", "ko")
    assert "--lang {en,ko}" in capsys.readouterr().out


def test_a_korean_training_report_and_its_plots_have_korean_words_and_every_glyph(caplog):
    from tracer.train.model import train
    from tracer.train.render import report_files

    with speaking("ko"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # xor's losses span decades: a log axis, whose labels are maths; two watched weights: contours
        training = train(load_spec("xor"), 300, (0.5, 20.0), source="xor")
        files = report_files(training, "xor", ("md", "tex"), worked="xor")
        terminal = render_training(training)
    assert not [w for w in caught if "Glyph" in str(w.message) or "findfont" in str(w.message)]
    assert not [r for r in caplog.records if "glyph" in r.getMessage() or "findfont" in r.getMessage()]
    assert files["xor-loss.png"].startswith(b"\x89PNG") and files["xor-descent.pdf"].startswith(b"%PDF")
    for text in (files["xor.md"], terminal):
        assert "경사 하강법" in text
        assert english_sentences(text) == []
    latex = files["xor.tex"]
    assert "\\usepackage{kotex}" in latex
    assert english_sentences(latex.partition("\\begin{document}")[2], LATEX_NOT_PROSE) == []


def render_training(training) -> str:
    from tracer.train.render import render_term

    return render_term(training, unicode=True)


@pytest.mark.parametrize("width", [60, 80])
def test_korean_terminal_lines_fit_by_display_width(preset, width):
    from tracer.documents.styles import display_width

    with speaking("ko"):
        text = render_terminal(trace(load_spec(preset)), width=width)
    lines = text.splitlines()
    # Hangul takes two columns: the prose is wrapped by display width, not by len(). (A table's
    # row, its columns two spaces apart, is laid out as a whole.)
    prose = [line for line in lines if re.search("[가-힣]", line) and "  " not in line.strip()]
    assert prose and [line for line in prose if display_width(line) > width] == []
    if width == 80:  # at 60 a few wide matrices and tables do not fit yet, in English as in Korean
        assert [line for line in lines if display_width(line) > width] == []


def test_a_korean_handout_has_no_english_sentence():
    from tracer.handout.model import Request, make_handout
    from tracer.handout.render import handout_files

    with speaking("ko"):
        files = handout_files(make_handout(load_spec("mazur"), Request("mazur", count=2, seed=1)))
    texts = {name: text for name, text in files.items() if isinstance(text, str)}
    assert "문제 1" in texts["variant-01-exercise.md"] and "답안 1" in texts["variant-01-key.md"]
    for name, text in texts.items():
        if name.endswith(".md"):
            assert english_sentences(text) == [], name
