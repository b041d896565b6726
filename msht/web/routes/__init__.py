"""One router per concern; each route parses, calls one library function, returns JSON."""
