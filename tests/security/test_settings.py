"""Every setting is documented in the README's configuration table."""

from pathlib import Path

from app.config import SETTINGS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_in_the_readme_table():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Configuration"):text.index("## Security")]
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in table]
    assert missing == []
    assert all(s.help for s in SETTINGS)
