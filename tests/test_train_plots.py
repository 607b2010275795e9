"""The pictures of `tracer train`: real PNG and SVG files, the same bytes every time."""

import xml.etree.ElementTree as ET

import matplotlib
import pytest

from tracer import load_spec
from tracer.i18n import speaking
from tracer.notation import notation
from tracer.printing import MathPrinter
from tracer.train.cli import optimizer_list
from tracer.train.model import train
from tracer.train.plots import (
    COLOURS,
    DASHES,
    MARKERS,
    _style,
    descent_figure,
    image,
    loss_figure,
    pictures,
    settings,
)
from tracer.train.textchart import text_chart

PNG = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}svg"


def printer_for(spec):
    return MathPrinter(notation(spec.notation).bind(spec.layers))


@pytest.fixture(scope="module")
def xor():
    return train(load_spec("xor"), 300, [2.0, 20.0, 500.0])


@pytest.fixture(scope="module")
def basins():
    return train(load_spec("basins"), 60, [1.0, 10.0, 30.0])


@pytest.fixture(scope="module")
def drawn(xor, basins):
    return {name: pictures(t, printer_for(t.spec)) for name, t in (("xor", xor), ("basins", basins))}


@pytest.mark.parametrize("name", ["xor", "basins"])
def test_pictures_are_valid_png_and_svg(name, drawn):
    files = drawn[name]
    assert sorted(files) == ["descent.png", "descent.svg", "loss.png", "loss.svg"]
    for file, data in files.items():
        if file.endswith(".png"):
            assert data.startswith(PNG) and len(data) > 10_000
        else:
            root = ET.fromstring(data)
            assert root.tag == SVG
            assert b"<dc:date>" not in data  # nothing that changes from one run to the next


@pytest.mark.parametrize("name", ["xor", "basins"])
def test_pictures_are_byte_for_byte_repeatable(name, drawn, request):
    training = request.getfixturevalue(name)
    again = train(training.spec, training.steps, [r.rate for r in training.runs])
    assert pictures(again, printer_for(training.spec)) == drawn[name]


def test_the_loss_plot_has_a_title_labels_a_legend_and_a_log_scale_when_needed(xor, basins):
    figure = loss_figure(xor, printer_for(xor.spec))
    ax = figure.axes[0]
    assert ax.get_yscale() == "log" and xor.log_scale
    assert ax.get_xlabel() == "step" and "cost" in ax.get_ylabel()
    assert "XOR" in ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["$\\eta$ = 2: too slow", "$\\eta$ = 20: converged", "$\\eta$ = 500: saturated"]
    assert loss_figure(basins, printer_for(basins.spec)).axes[0].get_yscale() == "linear"


def test_the_descent_picture_is_a_curve_for_one_weight_and_a_map_for_two(xor, basins):
    one = descent_figure(basins, printer_for(basins.spec))
    assert len(one.axes) == 1 and one.axes[0].get_xlabel() == "$w^{2}_{11}$"
    notes = [t.get_text() for t in one.axes[0].texts]
    assert any("lowest valley" in n for n in notes) and any("higher valley" in n for n in notes)
    two = descent_figure(xor, printer_for(xor.spec))
    assert len(two.axes) == 2  # the map and its colour bar
    assert two.axes[0].get_ylabel() == "$w^{3}_{12}$"
    assert "held at their starting values" in two.axes[0].get_title()


def test_the_notation_names_the_axes():
    spec = load_spec("ng")
    training = train(spec, 20)
    figure = loss_figure(training, printer_for(spec))
    assert "$J$" in figure.axes[0].get_ylabel()
    assert "$\\alpha$" in figure.axes[0].get_legend().get_texts()[0].get_text()


def test_image_formats():
    training = train(load_spec("neuron"), 10)
    figure = loss_figure(training, printer_for(training.spec))
    assert image(figure, "png").startswith(PNG)
    assert image(figure, "svg").lstrip().startswith(b"<?xml")


def test_text_chart_plain_and_unicode():
    series = [("a", [1.0, 0.1, 0.01, 0.001]), ("b", [1.0, 0.9, 0.8, float("inf")])]
    plain = text_chart(series, 3, True, False, width=20, height=6)
    fancy = text_chart(series, 3, True, True, width=20, height=6)
    assert plain.isascii() and "a: *   b: o" in plain and "(log scale)" in plain
    assert "●" in fancy and "└" in fancy
    assert len(plain.splitlines()) == len(fancy.splitlines()) == 1 + 6 + 2 + 1


def test_many_runs_get_paths_no_two_alike_and_a_legend_that_hides_nothing():
    # 6 optimizers × 2 rates: path 9 used to be drawn exactly as path 1 (colour, mark and line style
    # all went round every eight or four), and the legend of 12 runs covered the paths' end stars.
    assert len({_style(i) for i in range(64)}) == 64
    assert [_style(i) for i in range(8)] == [
        (COLOURS[i], DASHES[i % len(DASHES)], MARKERS[i]) for i in range(8)
    ]  # a comparison of a few runs is drawn as before
    spec = load_spec("xor")
    names = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    training = train(spec, 20, [0.5, 2.0], optimizers=optimizer_list(names, spec))
    assert len(training.runs) == 12
    for figure in (loss_figure(training, printer_for(spec)), descent_figure(training, printer_for(spec))):
        assert figure.axes[0].get_legend() is None
        (legend,) = figure.legends
        assert len(legend.get_texts()) == 12
        lines = legend.get_lines()
        assert len({(line.get_color(), line.get_linestyle(), line.get_marker()) for line in lines}) == 12
    few = train(spec, 20, [0.5, 2.0])
    assert descent_figure(few, printer_for(spec)).axes[0].get_legend() is not None


def test_a_legend_below_the_plot_fits_the_figures_width_in_any_language():
    # Labels that say where a path leaves the picture are long: two columns of them were cut off
    # at both edges of the figure.
    spec = load_spec("basins")
    names = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    training = train(spec, 30, [1.0, 30.0], optimizers=optimizer_list(names, spec))
    for lang in ("en", "ko"):
        with speaking(lang), matplotlib.rc_context(settings()):
            figure = descent_figure(training, printer_for(spec))
            figure.canvas.draw()
        (legend,) = figure.legends
        box, width = legend.get_window_extent(), figure.bbox.width
        assert box.x0 >= 0 and box.x1 <= width
        assert box.y0 >= 0 and box.y1 < figure.axes[0].get_window_extent().y0  # below the plot


def test_the_text_chart_gives_every_one_of_48_runs_its_own_mark():
    # 6 optimizers × 8 rates: the ninth run was drawn with the first one's mark.
    series = [(f"run {i}", [1.0, 0.5]) for i in range(48)]
    for unicode in (False, True):
        legend = text_chart(series, 1, False, unicode, columns=80).split("run 0:")[1]
        marks = [
            entry.split(": ")[1] for entry in ("run 0:" + legend).replace("\n", "   ").split("   ") if entry
        ]
        assert len(marks) == 48 and len(set(marks)) == 48
