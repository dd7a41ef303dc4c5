"""Fill the English catalogue: English is the source language, so msgstr = msgid.

Run by `make translations` after `pybabel update`; entries already edited are kept.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

path = Path("rehab/translations/en/LC_MESSAGES/messages.po")
with path.open("rb") as handle:
    catalogue = read_po(handle, locale="en")
for message in catalogue:
    if not message.id:
        continue
    if isinstance(message.id, tuple):
        if not all(message.string):
            message.string = tuple(message.id)
    elif not message.string:
        message.string = message.id
    message.flags.discard("fuzzy")
with path.open("wb") as handle:
    write_po(handle, catalogue, omit_header=False, sort_output=True, no_location=True, width=100)
