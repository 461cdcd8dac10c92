"""`juhaoban open311 …`: issue, list and revoke client keys from the command line."""

from __future__ import annotations

import re


def test_issue_list_and_revoke_a_key(run) -> None:
    issued = run("open311", "issue-key", "省政务服务App", "--per-minute", "60")
    assert issued.exit_code == 0, issued.output
    key = re.search(r"^(jhb_\S+)$", issued.output, re.M).group(1)
    listed = run("open311", "keys")
    assert (
        "省政务服务App" in listed.output and key[:12] in listed.output and key not in listed.output
    )
    client_id = listed.output.split("\t")[0].strip()
    assert run("open311", "revoke-key", client_id).exit_code == 0
    assert "已吊销" in run("open311", "keys").output


def test_bad_input_is_named_and_fails(run) -> None:
    assert "请填写应用名称" in run("open311", "issue-key", " ").output
    missing = run("open311", "revoke-key", "999")
    assert missing.exit_code == 1 and "应用 999 不存在" in missing.output
