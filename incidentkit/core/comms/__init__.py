"""Communications: notices drafted from sandboxed templates, checked against the law, approved and sent on the record."""
