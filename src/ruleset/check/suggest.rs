//! "Did you mean …?": the nearest known name to a slip, by edit distance.

/// The candidate nearest to `word` by edit distance, if near enough to be a slip.
pub(in crate::ruleset) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// `; did you mean 'x'?` or `;`, to go before "expected …".
pub(in crate::ruleset) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> String {
    match closest(word, candidates) {
        Some(c) => format!("; did you mean '{c}'?"),
        None => ";".to_string(),
    }
}
