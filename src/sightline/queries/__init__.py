"""One data function per view: typed parameters in, a typed result out, SQL in between."""
