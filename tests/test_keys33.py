"""Key forms probe 32 found still shown: a tool's own password option (redis-cli -a, ssh-keygen -N, openssl -k), a key
echoed into a --password-stdin login, "pass KEY" (rclone, bare), a string compared with a secret's name, and names whose
secret word came after "n_" or "min_" (aws_session_token, admin_password). Real parts: the IPython shell for --notebook."""

from __future__ import annotations

import json

import pytest
from conftest import ask, grows_linearly, run_stored
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat.qa.cells import session_cells
from jupyter_docchat.qa.key_guard import secret_values, secret_word, without_secrets

_KEY = "Zq7Xv2Lm9Pw4Rt8Yb3Nc6Hd1"

_FORMS = [f"!redis-cli -a {_KEY} ping", f"!redis-cli -h cache.local -p 6379 -a '{_KEY}' ping",
          f"!redis-cli --pass {_KEY} info", f"!echo {_KEY} | docker login --password-stdin -u me",
          f"!echo '{_KEY}' | docker login -u me --password-stdin ghcr.io",
          f"!printf '%s' \"{_KEY}\" | helm registry login reg.example.com --password-stdin",
          f"!ssh-keygen -t ed25519 -N '{_KEY}' -f deploy_key", f'!ssh-keygen -q -N "{_KEY}" -f k',
          f"!openssl enc -aes-256-cbc -salt -k {_KEY} -in data.csv -out data.enc",
          f"!openssl enc -d -aes-256-cbc -pass pass:{_KEY} -in data.enc",
          f"!rclone config create store sftp host files.example.com user me pass {_KEY}", f"pass {_KEY}",
          f"if token == '{_KEY}':\n    ok = True", f'assert os.environ["API_KEY"] != "{_KEY}"',
          f"if '{_KEY}' == self.api_key:\n    pass", f'aws_session_token = "{_KEY}"',
          f"!aws configure set aws_session_token {_KEY}", f"admin_password: {_KEY}"]


@pytest.mark.parametrize("code", _FORMS)
def test_each_form_is_not_shown_in_a_cells_text(code: str) -> None:
    for shown in (without_secrets(code), session_cells(["", code], {})[0].text):
        assert _KEY not in shown and "(not shown)" in shown, shown


def test_a_redis_and_a_compared_key_in_cells_are_not_sent_by_ask_notebook(ip, tmp_path) -> None:
    """Through the path a user takes: cells holding the forms, then %ask --notebook and a saved history."""
    for code in (f"!redis-cli -h 127.0.0.1 -p 1 -a {_KEY} ping", f"token = input_token = 'x'\nif token == '{_KEY}':\n    pass",
                 f"aws_session_token = {_KEY!r}"):
        run_stored(ip, code)
    ask(ip, "Which redis password and session token do the cells use?", "--no-stream --notebook")
    ip.run_line_magic("docchat_history", f"--save {tmp_path / 'chat.md'}")
    turn = ip.user_ns["docchat_history"][-1]
    assert any(s["origin"] == "cell" for s in turn["sources"]), turn["sources"]
    assert _KEY not in json.dumps(ip.user_ns["docchat_history"]) + (tmp_path / "chat.md").read_text()


@pytest.mark.parametrize("name", ["aws_session_token", "AWS_SESSION_TOKEN", "admin_password", "login_token", "hidden_secret"])
def test_a_secrets_word_after_a_word_ending_n_or_min_names_a_secret(name: str) -> None:
    assert secret_word(name) is not None


@pytest.mark.parametrize("name", ["n_tokens", "min_key_len", "max_tokens", "N_TOKENS", "num_keys", "x_n_tokens"])
def test_a_count_of_tokens_is_still_no_secrets_name(name: str) -> None:
    assert secret_word(name) is None


@pytest.mark.parametrize("code", ["!redis-cli -a", "!redis-cli -h host -a $REDIS_PASSWORD ping", "!redis-cli -p 6379 ping",
                                  "!ssh-keygen -t ed25519 -N '' -f key", '!ssh-keygen -N "" -C me2024@example.org',
                                  "Use openssl enc -k with a password file to encrypt results2024final.csv.",
                                  "!openssl x509 -in cert2024final.pem -noout -text",
                                  "pass the key to the function", "for x in xs:\n    pass\n", "pass  # TODO issue1234567890",
                                  "x == 'abc'", "if mode == 'train':", "if token == 'abc':", "if key == 'ESCAPE':",
                                  "assert md5 == 'd41d8cd98f00b204e9800998ecf8427e'", "if run_id == 'exp2024run000017':",
                                  "!echo hello | docker login --password-stdin", "!echo $CR_PAT | docker login --password-stdin",
                                  "!echo build2024release0001 | tee log.txt"])
def test_ordinary_look_alikes_keep_their_text(code: str) -> None:
    assert without_secrets(code) == code


@settings(max_examples=100, deadline=None)
@given(form=st.sampled_from(["!redis-cli -h h -a {q}{k}{q} ping", "!ssh-keygen -N {q}{k}{q} -f f", "!openssl enc -k {q}{k}{q} -in a",
                             "!echo {q}{k}{q} | docker login --password-stdin", "!rclone obscure x; rclone config x pass {q}{k}{q}",
                             "if secret == {q}{k}{q}:", "ok = {q}{k}{q} == client_secret"]),
       quote=st.sampled_from(["", "'", '"']), run=st.from_regex(r"[A-Za-z]{6,10}[0-9]{6,8}[A-Za-z]{0,4}", fullmatch=True))
def test_a_key_in_any_of_the_forms_is_hidden_quoted_or_not(form: str, quote: str, run: str) -> None:
    if "==" in form and not quote:
        quote = "'"  # a comparison's value is a string
    assert run not in without_secrets(form.format(q=quote, k=run) + "\n")


@pytest.mark.parametrize("make", [lambda n: "redis-cli " * n, lambda n: "openssl -k " * n, lambda n: "ssh-keygen -N x " * n,
                                  lambda n: "a == " * n, lambda n: '"abcdefgh" == ' * n, lambda n: "echo x " * n + "--password-stdin",
                                  lambda n: "pass " * n, lambda n: "echo -n " * n + "--password-stdin"])
def test_the_new_rules_read_long_lines_in_linear_time(make) -> None:
    grows_linearly(secret_values, make, (2_500, 10_000))
