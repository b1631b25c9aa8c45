"""``ledger print KIND ID -o FILE`` and ``ledger verify-print FILE``.

``print`` renders an enforcement document (责令限期整改指令书, 整改复查意见书,
行政处罚决定书, 现场检查记录) as PDF or DOCX with a QR code sealing the events it shows
under a signed checkpoint (signing a new checkpoint with the configured key when the
latest one does not include them yet). ``verify-print`` opens no store: it decodes the
QR code from the rendered page and checks the paper against the trusted key alone.
Exit codes of ``verify-print``: 0 verified, 1 content changed or not in the ledger,
3 no trusted key or no seal found, 4 only the checkpoint could be checked (a monthly
report whose figures did not travel in the QR code, read without ``--store``).

``print monthly-report REGION MONTH`` prints the monthly report computed at a signed
checkpoint (decision 0028); ``verify-print --store COPY`` recomputes it from a copy of the
ledger at that checkpoint's tree size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from ledger.errors import NotFound
from ledger.integrity import NoSigningKey
from ledger.integrity.signing import CheckpointError
from ledger.integrity.trust import TrustRoot
from ledger.scope import Scope

from ..composition import Config
from ..composition import open_ledger as compose
from ..documents import monthly
from ..documents.links import local_fetch, online_fetch
from ..documents.render import PUBLIC_URL_ENV_VAR, fitted, write_document
from ..documents.report_render import write_report_pdf
from ..documents.scan import scan
from ..documents.seal import Seal
from ..documents.sources import KINDS_ZH, seal_for
from ..documents.verify import Verdict, verify_scanned
from ..labels import Labels, beijing_minute
from .common import Options, catalogue, emit, open_ledger, options
from .integrity_commands import KeyDir, TrustedKeyFiles


def register(app: typer.Typer) -> None:
    """Add ``print`` and ``verify-print`` to ``app``."""

    @app.command("print")
    def print_document(
        ctx: typer.Context,
        kind: Annotated[
            str,
            typer.Argument(
                help=f"文书种类，取其一 / One of: {', '.join(KINDS_ZH)}, {monthly.KIND}."
            ),
        ],
        record: Annotated[
            str,
            typer.Argument(
                help="执法措施、检查或案卷编号；月报为区划代码 / "
                "The action, inspection or case id; or the region code."
            ),
        ],
        output: Annotated[
            Path,
            typer.Option(
                "-o", "--output", help="输出的 .pdf 或 .docx 文件 / A .pdf or .docx file."
            ),
        ],
        month: Annotated[
            str | None,
            typer.Argument(help="月份 YYYY-MM（仅月报） / YYYY-MM (monthly-report only)."),
        ] = None,
        key_dir_opt: KeyDir = None,
        link: Annotated[
            str | None,
            typer.Option(
                "--link",
                help="台账服务的公开地址，供一个二维码装不下的文书使用"
                f"（默认 ${PUBLIC_URL_ENV_VAR}） / "
                "The ledger service's public address, for a document too long for "
                f"one QR code (default ${PUBLIC_URL_ENV_VAR}).",
            ),
        ] = None,
    ) -> None:
        """打印文书，附可对台账证明其内容的二维码 /
        Print a document with a QR code that proves it against the ledger."""
        opts = options(ctx)
        if kind == monthly.KIND:
            _print_monthly(ctx, record, month, output, key_dir_opt)
            return
        try:
            record_id = UUID(record)
        except ValueError:
            typer.echo(f"记录编号无效 / not a record id: {record!r}", err=True)
            raise typer.Exit(2) from None
        with open_ledger(ctx) as ledger:
            ledger.integrity.use_key_directory(key_dir_opt)
            try:
                seal = seal_for(ledger, kind, record_id)
            except NoSigningKey as e:
                typer.echo(str(e), err=True)
                raise typer.Exit(1) from None
            except NotFound:
                typer.echo(_not_found(kind, record, opts), err=True)
                raise typer.Exit(3) from None
            content = seal.content()
            seal = fitted(seal, link)
            write_document(output, content, seal)
        if opts.json:
            emit(
                {"output": str(output), "kind": kind, "tree_size": _size(seal), "link": seal.link},
                opts,
            )
            return
        name = KINDS_ZH[kind]
        typer.echo(
            f"已打印{name}：{output}（检查点树大小 {_size(seal)}）"
            if opts.lang == "zh"
            else f"printed {kind}: {output} (checkpoint tree size {_size(seal)})"
        )
        if seal.link is not None:
            typer.echo(
                f"文书较长，二维码携带短链接：{seal.short_link(seal.events[0])}"
                if opts.lang == "zh"
                else f"too long for one QR code: sealed by short link {seal.link}/p/…"
            )

    @app.command("verify-print")
    def verify_print(
        ctx: typer.Context,
        document: Annotated[
            Path,
            typer.Argument(
                help="打印出的 .pdf/.docx，或扫描图片 / A printed .pdf/.docx, or a scan image."
            ),
        ],
        trusted_key: TrustedKeyFiles = None,
        store: Annotated[
            str | None,
            typer.Option(
                "--store",
                help="台账副本：按其检查点重算月报 / "
                "A copy of the ledger: recompute a monthly report at its checkpoint.",
            ),
        ] = None,
        online: Annotated[
            str | None,
            typer.Option(
                "--online",
                help="台账服务地址：从短链接取回文书印证的内容（GET /p/…） / "
                "The ledger service's address: fetch a linked seal's content "
                "from its short links (GET /p/…).",
            ),
        ] = None,
    ) -> None:
        """用台账的公钥离线核验打印的文书 /
        Check a printed document against the ledger's key, offline.

        退出码：0 已核验，1 被改动或台账中没有，3 无从判断，4 只核验了一部分（提示中说明
        哪些无法离线核验） / Exit 0 verified, 1 changed or not in the ledger, 3 nothing to
        judge by, 4 only partly checked (the message says what could not be checked
        offline)."""
        opts = options(ctx)
        if not document.is_file():
            typer.echo(
                f"找不到文件：{document}" if opts.lang == "zh" else f"no such file: {document}",
                err=True,
            )
            raise typer.Exit(2)
        try:
            trust = TrustRoot.configured(trusted_key or [])
        except (CheckpointError, OSError, ValueError) as e:
            typer.echo(f"信任配置无效 / invalid trust configuration: {e}", err=True)
            raise typer.Exit(2) from None
        if not trust.keys:
            typer.echo(
                "未指定账本公钥（--trusted-key 或 LEDGER_TRUSTED_KEYS）"
                if opts.lang == "zh"
                else "no ledger key given (--trusted-key or LEDGER_TRUSTED_KEYS)",
                err=True,
            )
            raise typer.Exit(3)
        fetch = None
        if online:
            try:
                fetch = online_fetch(online)
            except ValueError as e:
                typer.echo(str(e), err=True)
                raise typer.Exit(2) from None
        scanned = scan(document)
        if store is None:
            verdict = verify_scanned(scanned, trust, fetch=fetch)
        else:
            opened = compose(Config(store=store))
            try:
                verdict = verify_scanned(
                    scanned,
                    trust,
                    fetch=fetch or local_fetch(opened.ledger),
                    recompute=lambda s: monthly.report_at(
                        opened.ledger, s.region, s.month, s.tree_size, scope=Scope.everything()
                    ),
                )
            finally:
                opened.close()
        _tell(verdict, opts)
        if not verdict.ok:
            raise typer.Exit(verdict.exit_code)


#: What each sealed event is on the paper (``sources.wanted_events`` roles).
_ROLES: dict[str, tuple[str, str]] = {
    "action": ("执法措施", "enforcement action"),
    "enterprise": ("企业登记", "enterprise registration"),
    "inspection": ("检查记录", "inspection"),
    "reported": ("隐患上报", "hazard report"),
    "assigned": ("交办整改", "assignment"),
    "extended": ("延期", "extension"),
    "verified": ("复查", "re-inspection"),
    "found": ("发现隐患", "hazard found"),
}


def _role(role: str, names: Labels) -> str:
    """``found2`` → 发现隐患2; an unknown role as itself."""
    base = role.rstrip("0123456789")
    number = role[len(base) :]
    zh, en = _ROLES.get(base, (base, base))
    return names.text(zh, en) + number


def _tell(verdict: Verdict, opts: Options) -> None:
    """The verdict as JSON, or its message with what differs and what was proved."""
    if opts.json:
        emit(verdict.answer, opts)
        return
    names = catalogue(opts)
    answer = verdict.answer
    typer.echo(verdict.message(opts.lang))
    mark = "☐" if verdict.status == "compare_by_eye" else "✗"
    for line in answer.get("compare") or verdict.lines:
        typer.echo(f"  {mark} {line}")
    if verdict.ok:
        for event in answer.get("events") or []:
            kind = str(event["event_type"]).rsplit(":", 1)[-1]
            aggregate, _, name = kind.rpartition(".")
            typer.echo(
                f"  ✓ {_role(str(event['role']), names)}{names.colon}"
                f"{names.event(name, aggregate)}"
                + names.text(
                    f"（日志第 {event['seq']} 条，叶哈希 {str(event['leaf_hash'])[:16]}…）",
                    f" (log entry {event['seq']}, leaf {str(event['leaf_hash'])[:16]}…)",
                )
            )
    for link in answer.get("short_links") or []:
        typer.echo(f"  → {link}")
    checkpoint = answer.get("checkpoint")
    if checkpoint:
        extra = ""
        if "known_at" in answer:
            extra += names.text(" · 数据截至 ", " · known at ") + beijing_minute(answer["known_at"])
        if answer.get("recomputed_from_ledger"):
            extra += names.text(" · 已由账本副本重新计算", " · recomputed from the ledger copy")
        typer.echo(
            names.text(
                f"  已签名检查点：{checkpoint['origin']}，共 {checkpoint['tree_size']} 条事件",
                f"  signed checkpoint: {checkpoint['origin']}, {checkpoint['tree_size']} events",
            )
            + extra
        )


#: Which record each kind is printed from, (Chinese, English).
_RECORD_OF: dict[str, tuple[str, str]] = {
    "rectification-order": ("执法措施编号（下达责令整改时返回）", "an enforcement action id"),
    "penalty-decision": ("执法措施编号（下达行政处罚时返回）", "an enforcement action id"),
    "inspection-record": ("检查记录编号", "an inspection id"),
    "re-inspection": ("隐患案卷编号", "a case id"),
}


def _not_found(kind: str, record: str, opts: Options) -> str:
    """Not found, and which record the kind is printed from: a case id given for an
    order is the commonest slip (the order is an enforcement action of its own)."""
    zh, en = _RECORD_OF.get(kind, ("记录编号", "a record id"))
    hint_zh = (
        "；整改复查意见书才按隐患案卷编号打印（ledger print re-inspection 案卷编号）"
        if kind in ("rectification-order", "penalty-decision")
        else ""
    )
    hint_en = (
        "; only the re-inspection opinion is printed from a case id "
        "(ledger print re-inspection CASE_ID)"
        if kind in ("rectification-order", "penalty-decision")
        else ""
    )
    return (
        f"未找到 {record}：{KINDS_ZH.get(kind, kind)}须按{zh}打印{hint_zh}"
        if opts.lang == "zh"
        else f"not found: {record}; a {kind} is printed from {en}{hint_en}"
    )


def _size(seal: Seal) -> str:
    lines = seal.note.splitlines()
    return lines[1] if len(lines) > 1 else "?"


def _print_monthly(
    ctx: typer.Context,
    region: str,
    month: str | None,
    output: Path,
    key_dir: Path | str | None,
) -> None:
    """``print monthly-report REGION MONTH``: the report at a signed checkpoint, sealed."""
    opts = options(ctx)
    if month is None or output.suffix.lower() != ".pdf":
        typer.echo(
            "用法：ledger print monthly-report 区划代码 YYYY-MM -o 文件.pdf"
            if opts.lang == "zh"
            else "usage: ledger print monthly-report REGION YYYY-MM -o FILE.pdf",
            err=True,
        )
        raise typer.Exit(2)
    with open_ledger(ctx) as ledger:
        ledger.integrity.use_key_directory(key_dir)
        try:
            report, seal = monthly.seal_report(ledger, region, month, scope=Scope.everything())
        except NoSigningKey as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(1) from None
        except (ValueError, LookupError) as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(2) from None
        write_report_pdf(output, report, seal)
    if opts.json:
        emit({"output": str(output), "kind": monthly.KIND, "tree_size": seal.tree_size}, opts)
        return
    typer.echo(
        f"已打印月度报表：{output}（检查点树大小 {seal.tree_size}）"
        if opts.lang == "zh"
        else f"printed the monthly report: {output} (checkpoint tree size {seal.tree_size})"
    )
