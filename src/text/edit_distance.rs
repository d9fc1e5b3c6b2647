//! Damerau-Levenshtein distance (unrestricted: adjacent transpositions, with further edits
//! between the transposed characters allowed) within an edit budget, for typo correction and
//! the region finder, without allocating and without filling the whole table.
//!
//! The table is Lowrance and Wagner's ("An extension of the string-to-string correction
//! problem", JACM 22(2), 1975; the form with one "last row of each character" array, as in
//! Wikipedia's "Damerau-Levenshtein distance"), computed only in the band of cells within
//! `budget` of its diagonal and with every cell capped at `budget + 1` (Ukkonen's cut-off,
//! "Algorithms for approximate string matching", 1985). Both leave every distance within the
//! budget as it is: a cell's value is the distance between two prefixes, never below the
//! difference of their lengths, so a cell outside the band exceeds the budget; and each cell
//! is the minimum of earlier cells plus costs of zero or more, so capping the earlier cells
//! at `budget + 1` changes no cell that is within the budget (and leaves every other cell at
//! `budget + 1` or more). A test compares the distances with `strsim::damerau_levenshtein`
//! (the same distance by Zhao and Sahni's linear-space algorithm).

/// Longest word (in bytes) whose distance is worked out on the stack; longer ones, and words
/// that are not ASCII, go to `strsim`.
pub const MAX_BYTES: usize = 64;

/// The Damerau-Levenshtein distance of `a` and `b` when it is at most `budget`, else `None`:
/// within the budget exactly `strsim::damerau_levenshtein(a, b)`. Words whose lengths differ
/// by more than the budget are turned away at once (the distance is never below the
/// difference of the lengths).
pub fn within(a: &str, b: &str, budget: usize) -> Option<usize> {
    let d = if a.is_ascii() && b.is_ascii() {
        if a.len().abs_diff(b.len()) > budget {
            return None;
        }
        let cells = (a.len() + 2) * (b.len() + 2);
        if cells <= SMALL_CELLS && budget < MAX_BYTES {
            banded::<SMALL_CELLS>(a.as_bytes(), b.as_bytes(), budget)
        } else if a.len() <= MAX_BYTES && b.len() <= MAX_BYTES && budget < MAX_BYTES {
            banded::<MAX_CELLS>(a.as_bytes(), b.as_bytes(), budget)
        } else {
            strsim::damerau_levenshtein(a, b)
        }
    } else {
        if a.chars().count().abs_diff(b.chars().count()) > budget {
            return None;
        }
        strsim::damerau_levenshtein(a, b)
    };
    (d <= budget).then_some(d)
}

/// Cells of the table of two words of at most [`MAX_BYTES`] bytes.
const MAX_CELLS: usize = (MAX_BYTES + 2) * (MAX_BYTES + 2);

/// Cells of the smaller table used for most words (two words of up to 30 bytes): filling
/// the largest one for every pair cost more than the band saved.
const SMALL_CELLS: usize = 32 * 32;

/// The distance of two ASCII words capped at `budget + 1` (`budget` < [`MAX_BYTES`], and
/// `(a.len() + 2) * (b.len() + 2)` at most `CELLS`): Lowrance and Wagner's table, one row and
/// one column more on each side for the "none" cells, computed in the band
/// `|i - j| <= budget` only.
fn banded<const CELLS: usize>(a: &[u8], b: &[u8], budget: usize) -> usize {
    let (n, m) = (a.len(), b.len());
    debug_assert!((n + 2) * (m + 2) <= CELLS && budget < MAX_BYTES);
    let cap = (budget + 1) as u8;
    // cell (i, j) of the table indexed from -1: h[(i + 1) * w + (j + 1)]
    let w = m + 2;
    let mut h = [cap; CELLS];
    let h = &mut h[..(n + 2) * w];
    let at = |i: usize, j: usize| (i + 1) * w + (j + 1);
    for i in 0..=n.min(budget) {
        h[at(i, 0)] = i as u8;
    }
    for j in 0..=m.min(budget) {
        h[at(0, j)] = j as u8;
    }
    // the last row (1-based; 0: none) where each code occurred in `a`
    let mut last_row = [0usize; 128];
    for i in 1..=n {
        let ca = a[i - 1];
        // the last column of this row where `b` holds `ca` (0: none)
        let mut last_col = 0usize;
        let (from, to) = (i.saturating_sub(budget).max(1), (i + budget).min(m));
        for j in 1..=m {
            let cb = b[j - 1];
            let l = last_col;
            let same = ca == cb;
            if same {
                last_col = j;
            }
            if j < from || j > to {
                continue;
            }
            let k = last_row[usize::from(cb & 0x7f)];
            let diag = usize::from(h[at(i - 1, j - 1)]) + usize::from(!same);
            let left = usize::from(h[at(i, j - 1)]) + 1;
            let up = usize::from(h[at(i - 1, j)]) + 1;
            // cell (k - 1, l - 1); k or l of 0: the "none" row or column, which holds the cap
            let transposed = usize::from(h[k * w + l])
                + (i - k - 1).min(usize::from(cap))
                + 1
                + (j - l - 1).min(usize::from(cap));
            let best = diag.min(left).min(up).min(transposed);
            h[at(i, j)] = best.min(usize::from(cap)) as u8;
        }
        last_row[usize::from(ca & 0x7f)] = i;
    }
    usize::from(h[at(n, m)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of a few letters from a small alphabet (so that repeats and transpositions are
    /// common), from a xorshift generator.
    fn words(n: usize, max_len: usize, alphabet: &[u8]) -> Vec<String> {
        let mut next = crate::text::xorshift(0x2545_f491_u32);
        (0..n)
            .map(|_| {
                let len = next() % (max_len + 1);
                (0..len)
                    .map(|_| char::from(alphabet[next() % alphabet.len()]))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_distance_within_the_budget_is_strsims() {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for alphabet in [&b"ab"[..], b"abc", b"abcdefgh", b"aeiourstln"] {
            let w = words(120, 9, alphabet);
            for a in &w {
                for b in &w {
                    pairs.push((a.clone(), b.clone()));
                }
            }
        }
        for (a, b) in [
            ("ab", "bca"),
            ("ca", "abc"),
            ("capabilities", "capabilites"),
            ("reserach", "research"),
            ("seperately", "separately"),
            ("", ""),
            ("", "abc"),
            ("café", "cafe"),
            ("naïve", "naive"),
            ("日本語", "日語本"),
        ] {
            pairs.push((a.to_string(), b.to_string()));
        }
        // longer words a few random edits (swaps, deletions, insertions, changes) apart
        let mut next = crate::text::xorshift(0x9e37_79b9_u32);
        for base in [
            "capabilities",
            "accreditation",
            "supervisorship",
            "aaabbbaaabbb",
        ] {
            for _ in 0..400 {
                let mut w: Vec<u8> = base.bytes().collect();
                for _ in 0..=next() % 4 {
                    let at = next() % w.len();
                    match next() % 4 {
                        0 if at + 1 < w.len() => w.swap(at, at + 1),
                        1 if w.len() > 1 => {
                            w.remove(at);
                        }
                        2 => w.insert(at, b"abcilt"[next() % 6]),
                        _ => w[at] = b"abcilt"[next() % 6],
                    }
                }
                let w = String::from_utf8(w).expect("ASCII");
                pairs.push((base.to_string(), w.clone()));
                pairs.push((w, base.to_string()));
            }
        }
        let long = "ab".repeat(MAX_BYTES / 2);
        pairs.push((long.clone(), format!("{long}x")));
        pairs.push((long[1..].to_string(), long.clone()));
        for (a, b) in &pairs {
            let d = strsim::damerau_levenshtein(a, b);
            for budget in 0..=4 {
                let expected = (d <= budget).then_some(d);
                assert_eq!(within(a, b, budget), expected, "{a} {b} {budget}");
            }
            if a.is_ascii() && b.is_ascii() && a.len() <= MAX_BYTES && b.len() <= MAX_BYTES {
                for budget in 0..=6 {
                    let capped = banded::<MAX_CELLS>(a.as_bytes(), b.as_bytes(), budget);
                    assert_eq!(capped, d.min(budget + 1), "{a} {b} {budget}");
                    if (a.len() + 2) * (b.len() + 2) <= SMALL_CELLS {
                        let small = banded::<SMALL_CELLS>(a.as_bytes(), b.as_bytes(), budget);
                        assert_eq!(small, capped, "{a} {b} {budget}");
                    }
                }
            }
        }
    }
}
