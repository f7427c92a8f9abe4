"""What pages, downloads, documents, the CLI and the API all show: rows of a plan's matrix and
figures written in one number style. Pure Python (no Django), beneath ``documents``, ``web`` and
``api``, so a figure reads the same on the screen, in a file and in a signed document."""
