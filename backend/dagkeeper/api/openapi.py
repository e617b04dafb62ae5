"""Print the OpenAPI document without a server: ``python -m dagkeeper.api.openapi``.

The frontend generates its TypeScript types from this output.
"""

from __future__ import annotations

import json
import sys

from dagkeeper.api import create_app


def spec_document() -> dict:
    app = create_app()
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def main() -> int:
    json.dump(spec_document(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
