"""Signs of exploitation: an indicator lexicon as data, and a matcher that finds its phrases
in free text, with their exact spans, leaving out negated mentions ("no signs of injury")."""
