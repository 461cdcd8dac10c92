"""The ``juhaoban`` command line: operators' commands and demo seeding, on top of the web app."""
