"""A mistyped command line, told in the language the person asked for.

Click writes its usage errors ("No such option", "Missing argument", "file … does not
exist") in English. The CLI speaks Chinese by default, so ``main`` runs the commands
with click's standalone mode off and gives every usage error to ``usage_error_text``,
which names the option or argument and the rule it broke in Chinese (or in click's
English with ``--lang en``). The help click prints when a group is called without a
command stays click's own: it is the help text, already bilingual.

Typer carries its own copy of click (``typer._click``) in some releases and uses the
``click`` package in others, so the errors are recognised by their class names, which
both share, rather than by importing either.
"""

from __future__ import annotations

import re
from typing import Any

_VALUE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:file|path) '?(?P<v>.*?)'? does not exist\.?$"), "文件不存在：{v}"),
    (re.compile(r"^directory '?(?P<v>.*?)'? does not exist\.?$"), "目录不存在：{v}"),
    (re.compile(r"^(?:file|path) '?(?P<v>.*?)'? is a directory\.?$"), "应为文件，却是目录：{v}"),
    (re.compile(r"^directory '?(?P<v>.*?)'? is a file\.?$"), "应为目录，却是文件：{v}"),
    (re.compile(r"^\w+ '?(?P<v>.*?)'? is not readable\.?$"), "无法读取：{v}"),
    (re.compile(r"^\w+ '?(?P<v>.*?)'? is not writable\.?$"), "无法写入：{v}"),
    (re.compile(r"^'?(?P<v>.*?)'? is not a valid integer( range)?\.?$"), "应为整数：{v}"),
    (re.compile(r"^'?(?P<v>.*?)'? is not a valid float( range)?\.?$"), "应为数字：{v}"),
    (re.compile(r"^'?(?P<v>.*?)'? is not a valid boolean\.?$"), "应为是或否：{v}"),
    (re.compile(r"^Input should be a valid integer\b.*$"), "应为整数"),
    (re.compile(r"^Input should be a valid number\b.*$"), "应为数字"),
    (re.compile(r"^Input should be a valid boolean\b.*$"), "应为是或否"),
    (re.compile(r"^Input should be greater than or equal to (?P<r>\S+)$"), "应不小于 {r}"),
    (re.compile(r"^Input should be greater than (?P<r>\S+)$"), "应大于 {r}"),
    (re.compile(r"^Input should be less than or equal to (?P<r>\S+)$"), "应不大于 {r}"),
    (re.compile(r"^Input should be less than (?P<r>\S+)$"), "应小于 {r}"),
    (re.compile(r"^(?P<v>.*?) is not in the range (?P<r>.*?)\.?$"), "{v} 超出允许范围 {r}"),
    (re.compile(r"^'?(?P<v>.*?)'? is not one of (?P<r>.*?)\.?$"), "{v} 不是可选值之一：{r}"),
    (re.compile(r"^'?(?P<v>.*?)'? is not (?P<r>'.*?')\.?$"), "{v} 不是可选值 {r}"),
)


def kind_of(error: BaseException) -> str | None:
    """``error``'s click class (``NoSuchOption``, ``BadParameter``, ``Abort`` …) if it
    is one of click's, else None."""
    names = [cls.__name__ for cls in type(error).__mro__]
    if "ClickException" not in names and "Abort" not in names:
        return None
    return next((name for name in names if name in _KINDS), None)


_KINDS = {
    "Abort",
    "ClickException",
    "UsageError",
    "BadParameter",
    "MissingParameter",
    "NoSuchOption",
    "NoSuchCommand",
    "BadOptionUsage",
    "BadArgumentUsage",
    "FileError",
    "NoArgsIsHelpError",
}

_NO_SUCH_COMMAND = re.compile(r"^No such command '(?P<v>.*?)'\.(?: Did you mean '(?P<m>.*?)'\?)?$")
_EXTRA_ARGUMENTS = re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((?P<v>.*)\)$")


def usage_error_text(error: Any, english: bool) -> str:
    """The lines a person reads for click's ``error``: what was wrong, the usage line
    and where the help is; ends with a newline."""
    ctx = getattr(error, "ctx", None)
    if english:
        lines = [f"Error: {error.format_message()}"]
        if ctx is not None:
            lines += [ctx.get_usage(), _help_hint(ctx, "Try '{}' for help.")]
        return "\n".join(lines) + "\n"
    lines = [f"错误：{_chinese(error)}"]
    if ctx is not None:
        usage = ctx.get_usage().removeprefix("Usage:").strip()
        lines += [f"用法：{usage}", _help_hint(ctx, "查看帮助：{}")]
    return "\n".join(lines) + "\n"


def _help_hint(ctx: Any, pattern: str) -> str:
    return pattern.format(f"{ctx.command_path} {ctx.help_option_names[0]}")


def _chinese(error: Any) -> str:
    """What was wrong, in Chinese; a message click wrote that is not known here is
    quoted after a Chinese lead-in rather than dropped."""
    kind = kind_of(error)
    possibilities = getattr(error, "possibilities", None)
    if kind == "NoSuchOption":
        text = f"没有这个选项：{error.option_name}"
        return text + (f"（可用：{'、'.join(possibilities)}）" if possibilities else "")
    if kind == "NoSuchCommand":
        text = f"没有这个命令：{error.command_name}"
        return text + (f"（是否想用：{'、'.join(possibilities)}）" if possibilities else "")
    match = _NO_SUCH_COMMAND.match(error.message)
    if match:
        text = f"没有这个命令：{match['v']}"
        return text + (f"（是否想用：{match['m']}）" if match["m"] else "")
    if kind == "MissingParameter":
        param_type = error.param_type or getattr(error.param, "param_type_name", "")
        what = "参数" if param_type == "argument" else "选项"
        return f"缺少{what}：{_param_name(error)}"
    if kind == "BadParameter":
        return f"{_param_name(error)} 的值无效：{_value_rule(error.message)}"
    if kind == "BadOptionUsage":
        if error.message.endswith("requires an argument."):
            return f"选项 {error.option_name} 后面需要一个值"
        return f"选项 {error.option_name} 用法不对（{error.message}）"
    match = _EXTRA_ARGUMENTS.match(error.message)
    if match:
        return f"多余的参数：{match['v']}"
    if kind == "FileError":
        return f"无法打开文件 {error.ui_filename}（{error.message}）"
    return f"命令行有误（{error.format_message()}）"


def _param_name(error: Any) -> str:
    """The option or argument as it is typed (``--known-at``, ``path``)."""
    hint = getattr(error, "param_hint", None)
    if hint is not None:
        return hint if isinstance(hint, str) else " / ".join(hint)
    param = getattr(error, "param", None)
    if param is not None:
        opts = getattr(param, "opts", None)
        if getattr(param, "param_type_name", "") == "option" and opts:
            return " / ".join(opts)
        return str(getattr(param, "name", None) or "参数")
    return "参数"


def _value_rule(message: str) -> str:
    for pattern, chinese in _VALUE_RULES:
        match = pattern.match(message.strip())
        if match:
            return chinese.format(**match.groupdict())
    return message
