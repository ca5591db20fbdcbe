"""The Textual app: screens that mirror the guide, widgets, styles and the command line."""
