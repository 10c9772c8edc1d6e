"""LaTeX in reference answers shown as readable Unicode text.

Some imported references carry formulas as LaTeX source (`h_\\theta(x) = \\theta_0 +
\\sum_{j=1}^{p} \\theta_j x_j`). The bank keeps that source; the screens show it as `hθ(x) = θ₀ +
Σⱼ₌₁ᵖ θⱼ xⱼ`. Only the commands met in references are known (Greek letters, operators, `\\frac`,
`\\sum`, `\\text`, sizes); an unknown command keeps its name without the backslash, so nothing
is lost. Lines without LaTeX are left alone (a `snake_case` word is not a subscript), unless
the reference has LaTeX elsewhere, where a lone `x_j` is the formula's own variable.

No Textual here: plain text in, plain text out.
"""

from __future__ import annotations

import re

_GAP = "\x00"  # \quad: a wide space, kept when runs of spaces are made one

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
SYMBOLS = {
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "le": "≤", "leq": "≤",
    "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "sim": "∼", "equiv": "≡",
    "propto": "∝", "infty": "∞", "partial": "∂", "nabla": "∇", "sum": "Σ", "prod": "Π",
    "int": "∫", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪",
    "cap": "∩", "forall": "∀", "exists": "∃", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "Rightarrow": "⇒", "Leftrightarrow": "⇔", "mapsto": "↦",
    "ldots": "…", "cdots": "⋯", "dots": "…", "lvert": "|", "rvert": "|", "|": "‖",
    "langle": "⟨", "rangle": "⟩", "quad": _GAP, "qquad": _GAP * 2, ",": " ", ";": " ",
    ":": " ", "!": "", " ": " ", "{": "{", "}": "}", "_": "_", "%": "%", "#": "#", "&": "&",
}  # fmt: skip
FUNCTIONS = {
    "max", "min", "log", "ln", "exp", "sin", "cos", "tan", "tanh", "sigmoid", "arg", "argmax",
    "argmin", "det", "lim", "sup", "inf", "Pr", "softmax",
}  # fmt: skip
DROPPED = {
    "displaystyle", "textstyle", "scriptstyle", "large", "Large", "LARGE", "huge", "Huge",
    "small", "normalsize", "left", "right", "big", "Big", "bigg", "Bigg", "limits", "nolimits",
}  # fmt: skip
TEXT_COMMANDS = {"text", "mbox", "mathrm", "textrm", "textbf", "mathbf", "mathit", "textit",
                 "operatorname", "mathcal", "mathbb", "boldsymbol", "bm"}  # fmt: skip
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}

SUBSCRIPT = dict(zip("0123456789+-=()aehijklmnoprstuvxβγρφχ",
                     "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))  # fmt: skip
SUPERSCRIPT = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzTβγδθφχ",
                       "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀᵝᵞᵟᶿᵠᵡ", strict=True))  # fmt: skip

_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_LATEX_LINE = re.compile(r"\\[A-Za-z]+")
# `x_j`, `C_{in}`, `e^{-x}`: a one-letter (or Greek) base with a script, outside words
_LONE_SCRIPT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][_^](\{[^{}]*\}|[A-Za-z0-9])(?![A-Za-z0-9])")


def has_latex(text: str) -> bool:
    """Whether `text` holds a LaTeX command (`\\frac`, `\\theta`...)."""
    return any(m.group(0)[1:] in _KNOWN for m in _LATEX_LINE.finditer(text))


def readable_formulas(text: str) -> str:
    """`text` with its LaTeX shown as Unicode; text without LaTeX comes back unchanged."""
    if not has_latex(text):
        return text
    lines = []
    for line in text.split("\n"):
        if _LATEX_LINE.search(line):
            line = latex_to_unicode(line)
        else:  # prose naming the formula's variables: only those change
            line = _LONE_SCRIPT.sub(lambda m: latex_to_unicode(m.group(0)), line)
        lines.append(line)
    return "\n".join(lines)


def latex_to_unicode(source: str) -> str:
    """One line of LaTeX as Unicode text."""
    if not source.strip():
        return source
    indent = source[: len(source) - len(source.lstrip(" "))]
    text = re.sub(r" {2,}", " ", _Reader(source).read_all().strip(" "))
    return indent + text.replace(_GAP, "  ")


class _Reader:
    """A small recursive reader: groups `{...}`, commands, and `_`/`^` scripts."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0

    def read_all(self, until: str | None = None) -> str:
        out: list[str] = []
        while self.at < len(self.source):
            char = self.source[self.at]
            if until is not None and char == until:
                self.at += 1
                break
            if char in "_^" and out:
                self.at += 1
                script = self._argument()
                out.append(_script(script, sub=char == "_", base=out[-1]))
            else:
                out.append(self._atom())
        return "".join(out)

    def _atom(self) -> str:
        char = self.source[self.at]
        if char == "{":
            self.at += 1
            return self.read_all(until="}")
        if char == "}":
            self.at += 1
            return ""
        if char == "\\":
            return self._command()
        if char == "$":
            self.at += 1
            return ""
        self.at += 1
        return char

    def _argument(self) -> str:
        """The next group or single token, read (for a script or a command's argument)."""
        while self.at < len(self.source) and self.source[self.at] == " ":
            self.at += 1
        if self.at >= len(self.source):
            return ""
        return self._atom()

    def _command(self) -> str:
        match = _COMMAND.match(self.source, self.at)
        if match is None:  # a lone backslash at the end
            self.at += 1
            return ""
        self.at = match.end()
        name = match.group(1)
        if name == "\\":
            return " "  # a line break inside a formula
        if name in DROPPED:
            return ""
        if name in GREEK:
            return GREEK[name]
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in FUNCTIONS:
            return name
        if name in TEXT_COMMANDS:
            return self._argument()
        if name in ACCENTS:
            return "".join(c + ACCENTS[name] for c in self._argument())
        if name in ("frac", "dfrac", "tfrac"):
            return _fraction(self._argument(), self._argument())
        if name == "sqrt":
            inner = self._argument()
            return "√" + (inner if len(inner) == 1 else f"({inner})")
        return name  # unknown: its name, readable, rather than nothing


def _fraction(top: str, bottom: str) -> str:
    def wrapped(part: str) -> str:
        part = part.strip()
        simple = " " not in part and not re.search(r".[+\-−]", part)
        return part if simple else f"({part})"

    return f"{wrapped(top)}/{wrapped(bottom)}"


def _script(script: str, *, sub: bool, base: str) -> str:
    """A sub- or superscript in Unicode when every character has a form, else `_x` / `^(xy)`
    (a lone subscript letter with no form just follows its base: `hθ`)."""
    table = SUBSCRIPT if sub else SUPERSCRIPT
    script = script.strip()
    if script and all(c in table for c in script.replace(" ", "")):
        return "".join(table[c] for c in script.replace(" ", ""))
    if sub and len(script) == 1 and not script.isascii():
        return script  # `h_\theta`: hθ, as the eye reads it
    mark = "_" if sub else "^"
    return f"{mark}{script}" if len(script) == 1 else f"{mark}({script})"


_KNOWN = (
    set(GREEK) | {k for k in SYMBOLS if k.isalpha()} | FUNCTIONS | DROPPED | TEXT_COMMANDS
    | set(ACCENTS) | {"frac", "dfrac", "tfrac", "sqrt"}
)  # fmt: skip
