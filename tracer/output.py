"""Where a run's files go: every output of a command written all at once, or not at all.

A command renders everything first and hands each file to one :class:`Outputs`; nothing touches
the disk until :meth:`Outputs.commit`. Each path is checked when it is handed over: it may not be
an input of the command, nor a second output of the same run (``-o x.svg`` beside the Markdown's
own diagram), nor lie in a folder that does not exist. ``commit`` writes every file into a hidden
temporary folder beside its target (same file system), and only when all are written renames
them into place; if anything fails, the files it already replaced are put back and nothing is left
behind. A path that exists and is not a regular file (``/dev/null``, a named pipe) is written to,
never replaced. ``-o -`` (or no ``-o``) is standard output.

A handout folder carries a manifest (:data:`MANIFEST`) of the files tracer wrote into it, so a
later handout recognises it and replaces it exactly, stale files removed; any other non-empty
folder is refused unless the user says ``--force``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar

from tracer.errors import OutputError
from tracer.i18n import _

STDOUT = "-"
MANIFEST = ".tracer-handout.json"
Content = str | bytes
T = TypeVar("T")


@dataclass(frozen=True)
class Format:
    """Return-free description of one output format: its file extension, whether it is binary,
    whether it needs a TeX engine, and whether it may be shown on a terminal."""

    name: str
    extension: str
    binary: bool = False
    needs_tex: bool = False
    terminal: bool = True


# Every output format of every command; a command offers the ones it can render.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("term", ".txt"),
        Format("md", ".md"),
        Format("tex", ".tex"),
        Format("pdf", ".pdf", binary=True, needs_tex=True, terminal=False),
        Format("json", ".json"),
        Format("html", ".html"),
    )
}


def colour_wanted(stream: TextIO | None = None, environ: Mapping[str, str] = os.environ) -> bool:
    """Return True when text for ``stream`` (default stdout) should be coloured.

    Colour needs a terminal and no ``NO_COLOR`` that is present and not empty (https://no-color.org).

    >>> import io
    >>> colour_wanted(io.StringIO(), {})
    False
    """
    stream = sys.stdout if stream is None else stream
    return stream.isatty() and not environ.get("NO_COLOR")


def to_stdout(path: str | None) -> bool:
    """Return True when ``path`` means standard output: no ``-o``, or ``-o -``.

    >>> to_stdout(None), to_stdout("-"), to_stdout("x.md")
    (True, True, False)
    """
    return path is None or path == STDOUT


def check_stdout(format: str, path: str | None, field: str = "--format") -> None:
    """Refuse to send a binary format (PDF) to a terminal: OutputError naming the fix."""
    if to_stdout(path) and not FORMATS[format].terminal and sys.stdout.isatty():
        raise OutputError(
            f"{field} {format}",
            _("a {format} file is binary: give -o FILE{extension} or redirect the output").format(
                format=format.upper(), extension=FORMATS[format].extension
            ),
        )


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def check_target(path: str, field: str = "-o", pending: Iterable[Path] = ()) -> Path:
    """Return where ``path`` will be written, refusing a folder or a path whose folder cannot hold it.

    ``-o my.toml/x.json`` with ``my.toml`` a file says that ``my.toml`` is a file. ``pending``
    are folders this run will create.
    """
    try:
        return _check_target(Path(path), field, set(pending))
    except OSError as error:  # a name too long, a path through a file the system refuses to look into
        raise OutputError(field, f"{path}: {error.strerror}") from None


def _check_target(target: Path, field: str, pending: set[Path]) -> Path:
    path = str(target)
    if _real(target.parent) in pending:
        return _real(target)
    if target.is_dir():
        raise OutputError(
            field, _("{path!r} is a folder; give the name of a file to write").format(path=path)
        )
    folder = target.parent
    for above in (folder, *folder.parents):
        if above.exists():
            if not above.is_dir():
                raise OutputError(
                    field,
                    _("{path!r} is a file, not a folder; give a path in a folder").format(path=str(above)),
                )
            break
    if not folder.is_dir():
        raise OutputError(
            field, _("folder {path!r} does not exist; create it first").format(path=str(folder))
        )
    return _real(target)


@dataclass
class _Folder:
    """Return-free folder a run writes into: where it is, and for a handout (``manifest``) what the
    previous handout's manifest listed, whether to keep those files, and the names written now."""

    path: Path
    field: str
    previous: tuple[str, ...]
    keep_previous: bool
    manifest: bool = True
    names: set[str] = field(default_factory=set)


class Outputs:
    """Return-free collector of one run's outputs, written by :meth:`commit` all at once or not at all.

    ``inputs`` are the files the command reads: no output may be one of them.
    """

    def __init__(self, inputs: Iterable[str | Path] = ()) -> None:
        self.inputs = [Path(p) for p in inputs]
        self._files: dict[Path, tuple[str, Content]] = {}
        self._stdout: list[Content] = []
        self._folders: list[_Folder] = []

    def _is_input(self, target: Path) -> Path | None:
        for source in self.inputs:
            if _real(source) == target:
                return source
            with contextlib.suppress(OSError):
                if target.exists() and os.path.samefile(source, target):
                    return source
        return None

    def check(self, path: str, field: str = "-o") -> Path:
        """Return the real path ``path`` will be written to; OutputError if it may not be written.

        Refused: a folder, a missing folder, an input of the command, a path already taken by
        another output of this run. Call it early to refuse before the work is done.
        """
        target = check_target(path, field, (_real(f.path) for f in self._folders))
        source = self._is_input(target)
        if source is not None:
            raise OutputError(
                field,
                _("{path!r} is an input of this command ({source}); write the output to another file").format(
                    path=path, source=str(source)
                ),
            )
        if target in self._files:
            raise OutputError(
                field,
                _(
                    "{path!r} would be written twice by this command (also as {other!r}); choose another name"
                ).format(path=path, other=self._files[target][0]),
            )
        return target

    def file(self, path: str, content: Content, field: str = "-o") -> None:
        """Add a file to write at ``path``: checked now, written by :meth:`commit`."""
        target = self.check(path, field)
        for folder in self._folders:
            if target.parent == _real(folder.path):
                folder.names.add(target.name)
        self._files[target] = (path, content)

    def stdout(self, content: Content) -> None:
        """Add text (or bytes) for standard output, written by :meth:`commit` after the files."""
        self._stdout.append(content)

    def publish(
        self, format: str, path: str | None, content: Content, beside: Mapping[str, Content] | None = None
    ) -> None:
        """Add a rendered document: to ``path`` with the ``beside`` files next to it, or to stdout.

        ``beside`` are files the document links to by name (its diagram, its pictures); on
        standard output there are none. A binary format is refused on a terminal.
        """
        check_stdout(format, path)
        if to_stdout(path):
            self.stdout(content)
            return
        target = self.check(path)
        folder = Path(path).parent
        for name in beside or {}:
            if _real(folder / name) == target:
                example = Path(path).with_suffix(FORMATS[format].extension).name
                message = _("{path!r} is also the name of a file written beside it; give -o {example}")
                raise OutputError("-o", message.format(path=path, example=example))
        self.file(path, content)
        for name, data in (beside or {}).items():
            self.file(str(folder / name), data)

    def make_folder(self, path: str, field: str = "-o") -> Path:
        """Return a folder that :meth:`commit` creates if it does not exist (a plain folder, no manifest)."""
        if not Path(path).is_dir():
            check_target(path, field, (_real(f.path) for f in self._folders))
        self._folders.append(_Folder(Path(path), field, (), True, manifest=False))
        return Path(path)

    def folder(self, path: str, field: str = "-o", force: bool = False, partial: bool = False) -> Path:
        """Return a folder to write a handout into, refusing a non-empty folder that is not one.

        A folder holding exactly a previous handout (its :data:`MANIFEST` lists every file) is
        replaced: files of the previous handout the new one does not write are removed, unless
        ``partial`` (one variant made again: the rest stays). Any other non-empty folder is
        refused unless ``force``; then only what the new handout writes is replaced.
        """
        folder = Path(path)
        if folder.exists() and not folder.is_dir():
            raise OutputError(field, _("{path!r} is a file; give a folder").format(path=path))
        if not folder.is_dir():
            check_target(path, field)
        previous: tuple[str, ...] = ()
        if folder.is_dir():
            present = sorted(p.name for p in folder.iterdir() if p.name != MANIFEST)
            listed = _manifest(folder / MANIFEST)
            if listed is not None and set(present) <= set(listed):
                previous = tuple(listed)
            elif present and not force:
                shown = ", ".join(present[:3]) + (", …" if len(present) > 3 else "")
                raise OutputError(
                    field,
                    _(
                        "folder {path!r} holds files that are not a handout of tracer's ({files}); "
                        "choose an empty or new folder, or add --force to write over them"
                    ).format(path=path, files=shown),
                )
            elif listed is not None:
                previous = tuple(name for name in listed if name in present)
        self._folders.append(_Folder(folder, field, previous, partial))
        return folder

    def _plan_folders(self) -> tuple[list[Path], list[Path]]:
        """Return the folders to create and the stale files to remove; add each manifest to the files."""
        create, remove = [], []
        for folder in self._folders:
            if not folder.path.is_dir():
                create.append(folder.path)
            if not folder.manifest:
                continue
            names = set(folder.names)
            if folder.keep_previous:
                names |= set(folder.previous)
            for name in sorted(set(folder.previous) - names):
                stale = folder.path / name
                source = self._is_input(_real(stale))
                if source is not None:
                    raise OutputError(
                        folder.field,
                        _(
                            "{path!r} is an input of this command and would be removed; write elsewhere"
                        ).format(path=str(stale)),
                    )
                remove.append(stale)
            manifest = {"tracer": "handout", "files": sorted(names)}
            self._files[_real(folder.path) / MANIFEST] = (
                str(folder.path / MANIFEST),
                json.dumps(manifest, indent=2) + "\n",
            )
        return create, remove

    def commit(self) -> list[str]:
        """Write every file, all or none; then standard output. Return the paths written, in order.

        OutputError names the file and the reason if the disk refuses (full, read-only, a name
        too long); the files replaced so far are put back first, and nothing new is left.
        """
        create, remove = self._plan_folders()
        made: list[Path] = []
        stages: dict[Path, Path] = {}
        done: list[tuple[Path, Path | None]] = []  # (target, the backup of what it held, or None)

        def stage(folder: Path) -> Path:
            if folder not in stages:
                stages[folder] = Path(_guard(folder, lambda: tempfile.mkdtemp(prefix=".tracer-", dir=folder)))
            return stages[folder]

        try:
            for folder in create:
                _guard(folder, folder.mkdir)
                made.append(folder)
            staged, special = [], []
            for target, (shown, content) in self._files.items():
                if os.path.lexists(target) and not target.is_file():
                    special.append((target, shown, content))
                    continue
                draft = stage(target.parent) / target.name
                _guard(Path(shown), lambda d=draft, c=content: _write(d, c))
                staged.append((draft, target, shown))
            for target, shown, content in special:  # a device or a pipe: written to, never replaced
                _guard(Path(shown), lambda t=target, c=content: _write(t, c))
            for number, stale in enumerate(remove):
                kept = stage(stale.parent) / f".stale-{number}"
                _guard(stale, lambda s=stale, k=kept: os.replace(s, k))
                done.append((stale, kept))
            for number, (draft, target, shown) in enumerate(staged):
                kept = None
                if os.path.lexists(target):
                    kept = stages[target.parent] / f".previous-{number}"
                    _guard(Path(shown), lambda t=target, k=kept: os.replace(t, k))
                try:
                    _guard(Path(shown), lambda d=draft, t=target: os.replace(d, t))
                except BaseException:
                    if kept is not None:
                        os.replace(kept, target)
                    raise
                done.append((target, kept))
        except BaseException:
            for target, kept in reversed(done):
                with contextlib.suppress(OSError):
                    if kept is None:
                        os.unlink(target)
                    else:
                        os.replace(kept, target)
            for folder in reversed(made):
                shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            for folder in stages.values():
                shutil.rmtree(folder, ignore_errors=True)
        for content in self._stdout:
            _print(content)
        return [shown for shown, _content in self._files.values()]


def _manifest(path: Path) -> list[str] | None:
    """Return the file names a handout manifest lists, or None if there is none or it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) and data.get("tracer") == "handout" else None
    if not isinstance(files, list) or not all(isinstance(f, str) and "/" not in f for f in files):
        return None
    return files


def _write(path: Path, content: Content) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(path, "wb") as stream:
        stream.write(data)


def _guard(path: Path, action: Callable[[], T]) -> T:
    """Return ``action()``; an OSError becomes one line naming ``path`` and the reason."""
    try:
        return action()
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputError(str(path), _("cannot write: {reason}").format(reason=reason)) from None


def _print(content: Content) -> None:
    if isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)
        sys.stdout.flush()
