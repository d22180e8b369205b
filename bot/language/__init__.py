"""Reading a citizen's text: normalising, spelling, what is asked, names, forms, scope, needs."""
