"""What several parts of the guide show or do alike, written once: fields, the services list,
a code step, the registration's steps that FranceConnect's first use repeats. The screen
modules beside this package import from here and never from each other."""
