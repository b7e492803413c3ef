"""Probe 37: an outside user's second sweep. Secrets a document writes in a configuration's own forms (an INI file's
"password = ...", Maven's <password>, a JSON object's value without a digit, a base64 key cut into short runs) were
quoted by answers and ``docchat search --json``; keys that are public (an OpenPGP key to import, a keyserver's URL, a
public key, git's signing key id) and references to where a secret lives (``${DB_PASSWORD}``) were "(not shown)" where
the user needed them."""

from __future__ import annotations

import json
import string
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ask
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.qa.key_guard import NOT_SHOWN, _chosen_passwords, secret_values, without_secrets

PASSWORD = "dQjGrkWfCi%!u%8i"  # letters, digits, symbols: no run of twelve letters and digits
MAVEN = "mArEF8RRwXVH*$yo"
NO_DIGIT = "aQycEii!umIpMiXM"
AWS = "zbW/aeShs08A+DINudiZyvi+XH3UtpIEvU/nD/Gs"  # base64: "/" and "+" cut it into runs shorter than twelve


def _secret_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "db.ini").write_text(f"[database]\nhost = db.lab.example\nuser = lab\npassword = {PASSWORD}\n")
    (folder / "maven.md").write_text("# Publishing to the lab registry\n\nPut the account in `~/.m2/settings.xml`:\n\n"
                                     "```xml\n<server>\n  <id>lab-releases</id>\n  <username>deploy</username>\n"
                                     f"  <password>{MAVEN}</password>\n</server>\n```\n")
    (folder / "service.json").write_text(json.dumps({"service": "lab-api", "password": NO_DIGIT}, indent=2))
    (folder / "credentials").write_text(f"[default]\naws_access_key_id = AKIAZ7QX4LMN2PRT5VWY\n"
                                        f"aws_secret_access_key = {AWS}\nregion = eu-west-1\n")
    return folder


def test_a_configs_password_is_never_quoted_by_an_answer_a_search_or_the_cli(tmp_path: Path) -> None:
    folder = _secret_folder(tmp_path / "docs")
    (folder / "credentials").rename(folder / "aws.ini")  # read as configuration
    index = DocIndex(tmp_path / "store")
    index.update(folder)
    shown = ""
    for question in ("What is the database password in db.ini?", "What is the password in the maven settings.xml?",
                     "What password does the lab-api service use?", "What is the aws_secret_access_key?"):
        answer = index.ask(question)
        shown += answer.text + "".join(s.text for s in answer.sources)
    cli = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(tmp_path / "store"), "search",
                          "--json", "-k", "10", "password aws_secret_access_key"],
                         capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr
    shown += cli.stdout
    assert "db.lab.example" in shown and "lab-releases" in shown and "aws_secret_access_key" in shown  # the files were found
    for secret in (PASSWORD, MAVEN, NO_DIGIT, AWS):
        assert secret not in shown


def test_ask_in_the_notebook_and_its_saved_chat_show_no_configs_password(ip, tmp_path: Path) -> None:
    folder = _secret_folder(tmp_path / "docs")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What is the database password in db.ini?", "--no-stream")
    ask(ip, "What is the password in the maven settings.xml?", "--no-stream")
    ip.run_line_magic("docchat_history", f"--save {tmp_path / 'chat.md'}")
    saved = (tmp_path / "chat.md").read_text()
    shown = saved + json.dumps(ip.user_ns["docchat_history"])
    assert "db.lab.example" in saved
    for secret in (PASSWORD, MAVEN):
        assert secret not in shown


_FORMS = ("password = {}", "password: {}", "DB_PASSWORD={}", "spring.datasource.password={}", '  "password": "{}",',
          "<password>{}</password>", "  db_password: {}  # rotated monthly", "aws_secret_access_key = {}",
          "| password | {} |")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_FORMS),
       st.text(string.ascii_lowercase, min_size=3, max_size=6), st.text(string.ascii_uppercase, min_size=3, max_size=6),
       st.text(string.digits + "!#%^&*?~@$", min_size=2, max_size=6), st.randoms())
def test_a_password_of_three_kinds_of_character_is_never_shown_in_a_configs_forms(form, lower, upper, other, rng) -> None:
    """A value given to a secret's name in a configuration's line, holding lower and upper case letters and digits or
    symbols, is a password whatever its runs: never shown."""
    chars = list(lower + upper + other)
    rng.shuffle(chars)
    value = "".join(chars)
    if value.startswith("#"):  # YAML's and INI's comment: no value
        value = "x" + value
    text = f"host = db.lab.example\n{form.format(value)}\nport = 5432\n"
    shown = without_secrets(text)
    assert value not in shown and NOT_SHOWN in shown and "db.lab.example" in shown


_PUBLIC = {
    "gpg --keyserver hkps://keyserver.ubuntu.com --recv-keys 0x3B5D0B179D03EC5F": ("hkps://keyserver.ubuntu.com",
                                                                                  "0x3B5D0B179D03EC5F"),
    "sudo apt-key adv --keyserver hkp://keyserver.ubuntu.com:80 --recv-key 9DA31620334BD75D9DCB49F368818C72E52529D4":
        ("hkp://keyserver.ubuntu.com:80", "9DA31620334BD75D9DCB49F368818C72E52529D4"),
    "keyserver: hkps://keys.openpgp.org": ("hkps://keys.openpgp.org",),
    "gpg --search-keys 3B5D0B179D03EC5F": ("3B5D0B179D03EC5F",),
    "public_key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs": ("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs",),
    "STRIPE_PUBLISHABLE_KEY=pk_test_TYooMQauvdEDq54NiTphI7jx": ("pk_test_TYooMQauvdEDq54NiTphI7jx",),
    "database:\n  password: ${DB_PASSWORD_2024}\n": ("${DB_PASSWORD_2024}\n",),
    "export API_TOKEN=$SERVICE_TOKEN_2024": ("$SERVICE_TOKEN_2024",),
    "password = %(db_password_2)s": ("%(db_password_2)s",),
    "<password>${env.DEPLOY_PASSWORD}</password>": ("${env.DEPLOY_PASSWORD}",),
    "[user]\n\tsigningkey = 3AA5C34371567BD2\n": ("3AA5C34371567BD2",),
    "git config --global user.signingKey 716960517CB341B4E4A88B2F3B5D0B179D03EC5F": ("716960517CB341B4E4A88B2F3B5D0B179D03EC5F",),
    "key: Ctrl+Shift+P": ("Ctrl+Shift+P",),
    "password = getpass()": ("getpass()",),
    "secret = cfg.secret2": ("cfg.secret2",),
    "ssh_key = ~/.ssh/id_ed25519": ("~/.ssh/id_ed25519",),
    "password: ********": ("********",),
}


def test_public_keys_key_servers_and_references_to_a_secret_are_shown() -> None:
    for text, kept in _PUBLIC.items():
        shown = without_secrets(text)
        assert NOT_SHOWN not in shown, text
        for part in kept:
            assert part in shown, text


def test_secrets_beside_them_stay_hidden() -> None:
    """The exceptions are narrow: a private key, a secret's default, a JWT library's signing key and a key in hex of a
    private key's length are still hidden."""
    for text, secret in (("private_key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs9q", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs9q"),
                         ("PASSWORD=${DB_PASSWORD:-default1234}", "default1234"),
                         ('signingKey: "Zq8v3Lm9Xw2Rt7Kp4Nb6Yc1Hd5Fj0Gs"', "Zq8v3Lm9Xw2Rt7Kp4Nb6Yc1Hd5Fj0Gs"),
                         ('private_key = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"',
                          "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"),
                         ("STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
                         ("password: $ecretPa55w0rd!", "$ecretPa55w0rd!")):
        assert secret not in without_secrets(text), text


def test_an_answer_about_verifying_a_release_shows_the_key_to_import(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "verify.md").write_text("# Verifying a release\n\nImport the release signing key and check the signature:\n\n"
                                      "    gpg --keyserver hkps://keyserver.ubuntu.com --recv-keys 0x3B5D0B179D03EC5F\n"
                                      "    gpg --verify docchat-1.2.tar.gz.asc\n")
    index = DocIndex(tmp_path / "store")
    index.update(folder)
    answer = index.ask("Which key do I import to verify a release, from which keyserver?")
    assert "--recv-keys 0x3B5D0B179D03EC5F" in answer.text and "hkps://keyserver.ubuntu.com" in answer.text
    assert NOT_SHOWN not in answer.text


_CODE_VALUES = st.one_of(
    st.from_regex(r"[a-z]{2,8}(\.[a-z]{2,8}){1,3}", fullmatch=True),  # an attribute
    st.from_regex(r"[a-z_]{3,10}\([a-z_\"']{0,12}\)", fullmatch=True),  # a call
    st.from_regex(r"\$\{?[A-Z][A-Z0-9_]{3,20}\}?", fullmatch=True),  # a variable
    st.from_regex(r"(~|\.)?/[a-z][a-z_./-]{5,30}", fullmatch=True),  # a path
    st.from_regex(r"https?://[a-z0-9.-]{4,20}(:[0-9]{2,5})?(/[a-z0-9_-]{1,10}){0,3}", fullmatch=True),  # a URL
    st.from_regex(r"[A-Z][a-z]{3,8}([A-Z][a-z]{3,8}){1,3}", fullmatch=True),  # a class's name
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(("password = {}", "password: {}", "  api_key: {}", "token={}", "<password>{}</password>")),
       _CODE_VALUES)
def test_the_configuration_rule_takes_no_code_path_url_or_reference(form, value) -> None:
    """The configuration's rule takes passwords, not what names one or finds one."""
    assert _chosen_passwords(f"host = db\n{form.format(value)}\n") == set()


def test_with_a_frame_or_series_whose_cells_hold_secrets_sends_none_of_them(ip, fake) -> None:
    """A column of a config's lines, of request URLs, of dicts (a JSON column read by pandas) holds secrets under no
    secret's column name: the first rows showed them whole, or their heads cut at 40 characters, and sent them."""
    import pandas as pd

    token, key = "ghp_R8kLm2Qx7Vt4Zp9Wc3Nb6Jh5Fd1Sa0Ye2Ku", "Zq8v3Lm9Xw2Rt7Kp4Nb6Yc1Hd5Fj0Gs"
    ip.user_ns["requests_log"] = pd.DataFrame({
        "status": [200, 401, 200],
        "url": [f"https://api.lab.example/v1/items?api_key={key}", "https://api.lab.example/v1/health",
                "https://api.lab.example/v1/items?page=2"],
        "payload": [{"user": "ana", "password": PASSWORD}, {"token": token}, {"user": "bo"}]})
    ip.user_ns["settings_lines"] = pd.Series(["host = db.lab.example", f"password = {PASSWORD}", "port = 5432"])
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-test-configured-0000000000000000'")
    ask(ip, "Which requests failed, and what are the settings?", "--no-stream --with requests_log,settings_lines")
    sent = "".join(body.decode() for body in fake.bodies)
    assert "api.lab.example/v1/health" in sent and "db.lab.example" in sent and "401" in sent
    shown = sent + json.dumps(ip.user_ns["docchat_history"])
    for secret in (token, key, key[:8], PASSWORD):
        assert secret not in shown


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.integers(), st.floats(allow_nan=True), st.text(max_size=30), st.none()), min_size=1,
                max_size=6))
def test_a_frames_cells_without_secrets_are_described_as_before(cells) -> None:
    """Cells that hold no secret are shown as they were: numbers in their format, text as written."""
    import pandas as pd

    from jupyter_docchat.qa.variables import describe

    frame = pd.DataFrame({"n": range(len(cells)), "v": pd.Series(cells, dtype=object), "x": [1.5] * len(cells)})
    if any(isinstance(c, str) and without_secrets(c) != c for c in cells):
        return
    _, text = describe("frame", frame)
    assert pd.DataFrame.to_string(frame.head(5), max_cols=20, max_colwidth=40) in text


def test_a_wide_frames_first_and_last_shown_columns_hide_their_cells_secrets() -> None:
    """Only the columns the table shows are looked at (a frame 20,000 columns wide is described in time): its first
    and last ten, where the secrets are then hidden."""
    import pandas as pd

    from jupyter_docchat.qa.variables import describe

    key = "Zq8v3Lm9Xw2Rt7Kp4Nb6Yc1Hd5Fj0Gs"
    frame = pd.DataFrame({f"c{n}": [n] for n in range(40)})
    frame["c0"] = [f"?api_key={key}"]
    frame["c39"] = [f"password = {PASSWORD}"]
    _, text = describe("frame", frame)
    assert "c39" in text and NOT_SHOWN in text
    assert key[:6] not in text and PASSWORD[:6] not in text


_TYPED = ("Driver={{ODBC Driver 18}};Server=db;UID=sa;PWD={P};", "mysql -u root -p{P} app", "docker login -u me -p {P}",
          "sshpass -p {P} ssh lab", "redis-cli -a '{P}' ping", "ALTER USER app WITH PASSWORD '{P}';",
          "CREATE USER app IDENTIFIED BY '{P}';", "GRANT ALL ON db.* TO app@localhost IDENTIFIED BY \"{P}\";",
          '<add key="Password" value="{P}" />', "auth: {{username: admin, password: {P}}}", "set PASSWORD={P}",
          "Server=lab;Database=app;User Id=sa;Password={P};")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_TYPED), st.text(string.ascii_lowercase, min_size=3, max_size=6),
       st.text(string.ascii_uppercase + string.digits, min_size=2, max_size=6), st.text("!#%^*?~@", min_size=1, max_size=3),
       st.randoms())
def test_a_password_with_a_symbol_on_a_command_line_in_sql_or_a_net_config_is_never_shown(form, lower, upper, symbols,
                                                                                       rng) -> None:
    """Symbols cut a chosen password's runs short of a key's (twelve letters and digits), which these forms asked for."""
    chars = list(lower + upper + symbols)
    rng.shuffle(chars)
    value = "".join(chars)
    if len(value) < 8 or value.startswith("#") or not any(ch.isupper() or ch.isdigit() for ch in value):
        value = "Q7" + value + "x" * 4
    shown = without_secrets(form.format(P=value))
    assert value not in shown and NOT_SHOWN in shown


def test_command_options_without_a_symbol_are_shown() -> None:
    for text in ("pytest -p myPlugin2 tests", "mkdir -p src/app2024/static", "docker run -p 127.0.0.1:8080:80/tcp img",
                 "ssh -p 2222 lab.example", "redis-cli -a", "CREATE USER app IDENTIFIED BY PASSWORD_HASH;"):
        assert without_secrets(text) == text, text


@pytest.mark.parametrize("unit", ["password = ", ";Password=", ";a b=", "{password: ", ", password: x", "<password>",
                                  "key='Password' value='", "IDENTIFIED BY '", "password=", "set password=a;",
                                  "password is ", "password is 'a"])
def test_the_new_forms_are_looked_for_in_linear_time(unit: str) -> None:
    from conftest import grows_linearly

    grows_linearly(secret_values, lambda n: unit * n, (2000, 8000))


def test_a_sentence_giving_a_password_with_a_symbol_hides_it_and_one_about_passwords_is_shown() -> None:
    for text, secret in (("The default password is Adm1n#2024.", "Adm1n#2024"),
                         ("the password was `Tr0ub4dor&3x`, change it", "Tr0ub4dor&3x"),
                         ('The passphrase is: "p@ssW0rd2024"', "p@ssW0rd2024")):
        shown = without_secrets(text)
        assert secret not in shown and NOT_SHOWN in shown, text
    for text in ("The password is case-sensitive.", "The password is stored in Vault2.",
                 "The password is at least 8 characters long.", "The password is ********."):
        assert without_secrets(text) == text
