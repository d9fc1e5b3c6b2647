//! Candidate lookup for typo correction: a deletion index in the manner of SymSpell (Wolf
//! Garbe, 2012), so finding the known words near a misspelling costs a bounded number of
//! lookups per word instead of a scan of the vocabulary.
//!
//! Every known word is indexed under each string obtained by deleting up to its edit budget
//! of characters (0, 1 or 2). Two words within Damerau-Levenshtein distance `k` share a
//! string obtained by deleting at most `k` characters from each (substitutions and adjacent
//! transpositions cost one deletion on each side, insertions one deletion on the longer
//! side), so the words found under the misspelling's own deletions are a superset of the
//! words within its budget. Callers verify each candidate with the exact distance.
//!
//! The index stores 32-bit FNV-1a hashes of the deletion strings, not the strings: a hash
//! collision only adds a candidate that verification then rejects. A table of where each
//! leading-bits prefix of the hashes starts (built with the index, not stored) narrows each
//! lookup to a few neighbouring entries instead of a binary search of millions.

/// FNV-1a, 32-bit (Fowler, Noll, Vo; offset basis and prime from the FNV specification).
const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// Most characters deleted from one word: the largest edit budget of
/// [`super::normalize::edit_budget`].
pub const MAX_DELETES: usize = 2;

/// Words longer than this (in characters) are not indexed: a deletion set grows with the
/// square of the length, and no real word in an enquiry is this long.
pub const MAX_WORD_CHARS: usize = 40;

/// FNV-1a of `bytes`, continued from the state `h`.
fn fnv(mut h: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The hash of `chars` without the characters at `skip_a` and `skip_b` (`usize::MAX`: none),
/// from scratch: what [`for_each_deletion`] reports for words too long for its buffers.
fn hash_without(chars: &[char], skip_a: usize, skip_b: usize) -> u32 {
    let mut h = FNV_OFFSET;
    let mut buf = [0u8; 4];
    for (i, c) in chars.iter().enumerate() {
        if i == skip_a || i == skip_b {
            continue;
        }
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// Calls `f` with the hash of every string made by deleting at most `deletes` characters of
/// `chars` (the word itself included). The same string may be reported more than once.
///
/// FNV-1a reads the bytes in order, so the hash of a string with characters left out is the
/// hash of the part before the first gap continued over the rest: the hashes of every prefix
/// are worked out once, and each deletion only continues one (the same numbers as hashing
/// each string from scratch, in the same order, for a fraction of the work).
pub fn for_each_deletion(chars: &[char], deletes: usize, f: impl FnMut(u32)) {
    for_each_deletion_after(chars, deletes, 0, f)
}

/// Longest word [`for_each_deletion`] handles on the stack (the longest a lookup or the index
/// takes).
const MAX_STACK_CHARS: usize = MAX_WORD_CHARS + MAX_DELETES;

/// [`for_each_deletion`] leaving the first `kept` characters in place: the hashes of the
/// strings made by deleting at most `deletes` characters at positions `kept` or later, in the
/// order [`for_each_deletion`] reports them (it reports these and the others, interleaved).
fn for_each_deletion_after(chars: &[char], deletes: usize, kept: usize, mut f: impl FnMut(u32)) {
    const MAX: usize = MAX_STACK_CHARS;
    let n = chars.len();
    if n > MAX {
        return for_each_deletion_from_scratch(chars, deletes, kept, f);
    }
    // the word's UTF-8 bytes, and where each character's bytes start (`at[n]`: the end)
    let mut buf = [0u8; MAX * 4];
    let mut at = [0usize; MAX + 1];
    let mut len = 0;
    for (i, c) in chars.iter().enumerate() {
        at[i] = len;
        len += c.encode_utf8(&mut buf[len..]).len();
    }
    at[n] = len;
    let span = |from: usize, to: usize| &buf[at[from]..at[to]];
    // prefix[i]: the hash of the first i characters
    let mut prefix = [FNV_OFFSET; MAX + 1];
    for i in 0..n {
        prefix[i + 1] = fnv(prefix[i], span(i, i + 1));
    }
    f(prefix[n]);
    if deletes >= 1 {
        for (a, &before_a) in prefix[..n].iter().enumerate().skip(kept) {
            f(fnv(before_a, span(a + 1, n)));
            if deletes >= 2 {
                // the hash of the characters before `a` and those from `a + 1` to `b`
                let mut before_b = before_a;
                for b in a + 1..n {
                    f(fnv(before_b, span(b + 1, n)));
                    before_b = fnv(before_b, span(b, b + 1));
                }
            }
        }
    }
}

/// [`for_each_deletion_after`] hashing each string from scratch.
fn for_each_deletion_from_scratch(
    chars: &[char],
    deletes: usize,
    kept: usize,
    mut f: impl FnMut(u32),
) {
    let n = chars.len();
    let none = usize::MAX;
    f(hash_without(chars, none, none));
    if deletes >= 1 {
        for a in kept..n {
            f(hash_without(chars, a, none));
            if deletes >= 2 {
                for b in a + 1..n {
                    f(hash_without(chars, a, b));
                }
            }
        }
    }
}

/// Deletion hashes of a vocabulary, each pointing at the word numbers indexed under it.
#[derive(Debug, Default, Clone)]
pub struct DeletionIndex {
    /// Sorted by hash, then word number; no duplicates.
    entries: Vec<(u32, u32)>,
    /// Where the entries whose hash has each value of its leading `prefix_bits` bits start:
    /// `starts[p]..starts[p + 1]` (one more than the number of prefixes). Empty for an
    /// empty index.
    starts: Vec<u32>,
    prefix_bits: u32,
}

/// Leading hash bits the start table is indexed by: about eight entries per prefix, from 4
/// to 16 bits (a table of at most 256 KB).
fn prefix_bits(entries: usize) -> u32 {
    let per_prefix = (entries / 8).max(1);
    (usize::BITS - per_prefix.leading_zeros()).clamp(4, 16)
}

/// `entries` sorted: a counting sort by the hashes' leading bits (as many as the start
/// table of an index this size uses, so about eight entries a prefix), then each prefix's few
/// entries sorted on their own. The same order as sorting the whole list, in two passes over
/// it instead of a comparison sort of hundreds of thousands of pairs.
fn sorted_by_prefix(entries: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    if entries.is_empty() {
        return entries;
    }
    // 4 to 16 bits: every prefix is below `1 << bits`
    let shift = 32 - prefix_bits(entries.len());
    let prefixes = 1usize << (32 - shift);
    let mut start = vec![0u32; prefixes + 1];
    for &(h, _) in &entries {
        start[(h >> shift) as usize + 1] += 1;
    }
    for p in 0..prefixes {
        start[p + 1] += start[p];
    }
    let mut next = start.clone();
    let mut out = vec![(0u32, 0u32); entries.len()];
    for e in entries {
        let at = &mut next[(e.0 >> shift) as usize];
        out[*at as usize] = e;
        *at += 1;
    }
    for w in start.windows(2) {
        out[w[0] as usize..w[1] as usize].sort_unstable();
    }
    out
}

impl DeletionIndex {
    /// Indexes `words` (word number = position in the iterator), each with the number of
    /// deletions `deletes(len_in_chars)` allows; words with a budget of 0 are left out.
    pub fn build<'a>(
        words: impl IntoIterator<Item = &'a str>,
        deletes: impl Fn(usize) -> usize,
    ) -> Self {
        let mut entries = Vec::new();
        let mut chars = Vec::new();
        for (id, word) in words.into_iter().enumerate() {
            chars.clear();
            chars.extend(word.chars());
            let budget = deletes(chars.len()).min(MAX_DELETES);
            if budget == 0 || chars.len() > MAX_WORD_CHARS {
                continue;
            }
            let id = id as u32;
            for_each_deletion(&chars, budget, |h| entries.push((h, id)));
        }
        let mut entries = sorted_by_prefix(entries);
        entries.dedup();
        entries.shrink_to_fit();
        Self::with_starts(entries)
    }

    /// The index over `entries` (sorted), with its start table.
    fn with_starts(entries: Vec<(u32, u32)>) -> Self {
        if entries.is_empty() {
            return DeletionIndex::default();
        }
        let bits = prefix_bits(entries.len());
        let prefixes = 1usize << bits;
        let mut starts = Vec::with_capacity(prefixes + 1);
        let mut at = 0usize;
        for p in 0..prefixes {
            while at < entries.len() && ((entries[at].0 >> (32 - bits)) as usize) < p {
                at += 1;
            }
            starts.push(at as u32);
        }
        starts.push(entries.len() as u32);
        DeletionIndex {
            entries,
            starts,
            prefix_bits: bits,
        }
    }

    /// The entries whose hash is `h`.
    fn lookup(&self, h: u32) -> &[(u32, u32)] {
        if self.starts.is_empty() {
            return &[];
        }
        // 4 to 16 bits whenever there is a table
        let p = (h >> (32 - self.prefix_bits)) as usize;
        let (Some(&from), Some(&to)) = (self.starts.get(p), self.starts.get(p + 1)) else {
            return &[];
        };
        let bucket = self.entries.get(from as usize..to as usize).unwrap_or(&[]);
        let start = bucket.partition_point(|&(e, _)| e < h);
        let len = bucket[start..].iter().take_while(|&&(e, _)| e == h).count();
        &bucket[start..start + len]
    }

    /// Word numbers that share a deletion string (up to `deletes` deletions of `word`) with
    /// `word`, sorted and without duplicates: a superset of the indexed words within
    /// Damerau-Levenshtein distance `deletes` of `word`. Costs O(len² · log vocabulary).
    pub fn candidates(&self, word: &str, deletes: usize) -> Vec<u32> {
        self.candidates_after(word, deletes, 0)
    }

    /// [`Self::candidates`] among the words that start with `word`'s first character: a
    /// subset of them that still holds every indexed word starting with that character within
    /// Damerau-Levenshtein distance `deletes` of `word`, found with only the deletions that
    /// keep `word`'s first character (about a fifth fewer lookups for a word of eight).
    ///
    /// Why that suffices: take any strings made by deleting the positions `dw` from `word`
    /// and `dc` from a word `c` starting with the same character `x`, equal to each other.
    /// When both delete position 0, keeping both first characters leaves them equal (`x` on
    /// each) with one deletion fewer on each side; when only `dw` deletes it, the string
    /// (which then starts with `c`'s `x`) starts with the first character `word` keeps, at
    /// some position `j`, which is `x` too: deleting `j` instead of 0 leaves the same string
    /// with as many deletions. Either way a string shared with `c` is made without deleting
    /// `word`'s first character, and the index holds every deletion of `c`, whichever it is.
    pub fn candidates_keeping_first(&self, word: &str, deletes: usize) -> Vec<u32> {
        self.candidates_after(word, deletes, 1)
    }

    /// The candidates found with the deletions of `word` that keep its first `kept`
    /// characters (see [`for_each_deletion_after`]).
    fn candidates_after(&self, word: &str, deletes: usize, kept: usize) -> Vec<u32> {
        let mut out = Vec::new();
        // the characters on the stack: a lookup's word is never longer
        let mut chars = ['\0'; MAX_STACK_CHARS];
        let mut n = 0;
        for c in word.chars() {
            let Some(slot) = chars.get_mut(n) else {
                return out;
            };
            *slot = c;
            n += 1;
        }
        for_each_deletion_after(&chars[..n], deletes.min(MAX_DELETES), kept, |h| {
            out.extend(self.lookup(h).iter().map(|&(_, id)| id));
        });
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The (hash, word number) pairs, sorted and without duplicates (to persist the index).
    pub fn entries(&self) -> &[(u32, u32)] {
        &self.entries
    }

    /// An index from the pairs [`Self::entries`] gave; `None` unless they are sorted, without
    /// duplicates, and every word number is below `words`.
    pub fn from_entries(entries: Vec<(u32, u32)>, words: usize) -> Option<Self> {
        let sorted = entries.windows(2).all(|w| w[0] < w[1]);
        let in_range = entries.iter().all(|&(_, id)| (id as usize) < words);
        (sorted && in_range).then(|| Self::with_starts(entries))
    }

    /// Bytes held by the index (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<(u32, u32)>()
            + self.starts.capacity() * std::mem::size_of::<u32>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_within_two_edits_including_transpositions() {
        let words = ["improvement", "separately", "research", "capabilities"];
        let index = DeletionIndex::build(words, |_| 2);
        assert_eq!(index.candidates("improvment", 2), vec![0]);
        assert_eq!(index.candidates("seperately", 2), vec![1]);
        assert_eq!(index.candidates("reserach", 2), vec![2]); // transposition
        assert_eq!(index.candidates("capabilitiesxy", 2), vec![3]); // two insertions
        assert!(index.candidates("banana", 2).is_empty());
    }

    #[test]
    fn deletion_hashes_continued_from_prefixes_are_those_from_scratch() {
        let long = "x".repeat(MAX_WORD_CHARS + MAX_DELETES);
        let longer = "é".repeat(MAX_WORD_CHARS + MAX_DELETES + 3);
        for word in [
            "",
            "a",
            "ab",
            "capabilities",
            "café’s",
            "ñandú",
            "日本語の単語",
            long.as_str(),
            longer.as_str(),
        ] {
            let chars: Vec<char> = word.chars().collect();
            for deletes in 0..=MAX_DELETES {
                for kept in 0..=2 {
                    let (mut fast, mut slow) = (Vec::new(), Vec::new());
                    for_each_deletion_after(&chars, deletes, kept, |h| fast.push(h));
                    for_each_deletion_from_scratch(&chars, deletes, kept, |h| slow.push(h));
                    assert_eq!(fast, slow, "{word} {deletes} {kept}");
                }
            }
        }
    }

    /// The lookups that keep a word's first character find every indexed word starting with
    /// it within the distance, among all the candidates (exhaustively over short words of a
    /// small alphabet, where repeated letters make the alignments the proof is about).
    #[test]
    fn candidates_keeping_the_first_character_miss_no_word_within_the_distance() {
        let alphabet = ['a', 'b', 'c'];
        let mut words = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..5 {
            words = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            all.extend(words.iter().cloned());
        }
        let index = DeletionIndex::build(all.iter().map(String::as_str), |_| 2);
        for word in &all {
            let first = word.chars().next();
            let every = index.candidates(word, 2);
            let kept = index.candidates_keeping_first(word, 2);
            assert!(kept.iter().all(|id| every.contains(id)), "{word}");
            for (id, other) in all.iter().enumerate() {
                let near = crate::text::edit_distance::within(word, other, 2).is_some();
                if near && other.chars().next() == first {
                    assert!(kept.contains(&(id as u32)), "{word} {other}");
                }
            }
        }
    }

    #[test]
    fn sorting_by_prefix_sorts() {
        let mut state = 0x9e37_79b9_u32;
        for n in [0usize, 1, 7, 100, 5000, 70_000] {
            let entries: Vec<(u32, u32)> = (0..n)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    // repeated hashes and pairs too
                    (state % (n as u32 / 2 + 1) * 61_417, (i % 97) as u32)
                })
                .collect();
            let mut expected = entries.clone();
            expected.sort_unstable();
            assert_eq!(sorted_by_prefix(entries), expected, "{n}");
        }
    }

    #[test]
    fn the_start_table_finds_what_a_search_of_all_entries_finds() {
        let words: Vec<String> = (0..3000).map(|i| format!("w{i}ord{}", i % 7)).collect();
        let index = DeletionIndex::build(words.iter().map(String::as_str), |_| 2);
        assert!(index.prefix_bits > 4);
        for probe in ["w12ord5", "w1ord", "wrd3", "w2999ord3", "zzz", "w"] {
            let mut expected = Vec::new();
            for_each_deletion(&probe.chars().collect::<Vec<_>>(), 2, |h| {
                expected.extend(index.entries.iter().filter(|e| e.0 == h).map(|e| e.1));
            });
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(index.candidates(probe, 2), expected, "{probe}");
        }
        let empty = DeletionIndex::build(std::iter::empty(), |_| 2);
        assert!(empty.candidates("word", 2).is_empty());
    }
}
