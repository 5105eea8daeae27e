"""`jigsaw`: the admin command line. `jigsaw --help` lists Jigsaw's own commands; every Django
management command (migrate, collectstatic…) works too."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jigsaw.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    import django
    from django.core.management import execute_from_command_line, get_commands, load_command_class

    if not argv or (argv[0] in {"-h", "--help", "help"} and len(argv) == 1):
        django.setup()
        commands = {name: app for name, app in get_commands().items() if app.startswith("jigsaw.")}
        print("usage: jigsaw <command> [options]\n\nJigsaw's commands:")
        width = max(map(len, commands)) + 2
        for name in sorted(commands):
            help_text = load_command_class(commands[name], name).help.strip().splitlines()[0]
            print(f"  {name:<{width}}{help_text}")
        print("\nEvery Django management command works as well (for example: jigsaw migrate).")
        print("'jigsaw <command> --help' describes one command.")
        return
    execute_from_command_line(["jigsaw", *argv])


if __name__ == "__main__":
    main()
