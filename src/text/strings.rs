//! A table of distinct strings, each stored once: the strings one after another in a single
//! buffer, numbered in the order added, and an open-addressing hash table of their numbers
//! (4 bytes a slot) to find a string's number. The analyzer's vocabulary and stems and the
//! index's stem dictionary use it instead of a `HashMap<String, _>` (a heap block, a
//! 24-byte header and a key copy per string).
//!
//! Sizes: a table of `n` strings of `b` bytes in all holds `b` bytes of text, 4 bytes per
//! string for where it ends and 4 bytes per slot of the hash table (between 2`n` and 4`n`
//! slots, a power of two).

use std::hash::{BuildHasher, Hasher};

/// No number in this slot.
const EMPTY: u32 = u32::MAX;

/// Distinct strings, numbered from 0 in the order they were added (see the module
/// documentation).
#[derive(Debug, Clone, Default)]
pub struct Strings {
    /// Every string, one after another.
    text: String,
    /// Where string `i` ends in `text` (it starts where string `i - 1` ends, or at 0).
    ends: Vec<u32>,
    /// String numbers by hash, linear probing; `EMPTY` marks a free slot. Its length is a
    /// power of two at least twice the number of strings (empty when there are none).
    slots: Vec<u32>,
}

/// Whether `a` and `b` are the same bytes: a word (a few bytes) compared in a loop of its
/// own, with no call to `memcmp` (most of the cost of comparing one).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        false
    } else if a.len() > 16 {
        a == b
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

fn hash(s: &str) -> u64 {
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(s.as_bytes());
    h.finish()
}

impl Strings {
    /// An empty table with room for `n` strings of `bytes` bytes in all.
    pub fn with_capacity(n: usize, bytes: usize) -> Self {
        let mut s = Strings {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
            slots: Vec::new(),
        };
        s.grow_slots(n);
        s
    }

    /// How many strings the table holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// String number `id` (`""` when there is none).
    pub fn get_str(&self, id: u32) -> &str {
        let i = id as usize;
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// The bytes of string number `id` (empty when there is none): [`Self::get_str`] without
    /// checking the ends fall on character boundaries, for comparing.
    fn get_bytes(&self, id: u32) -> &[u8] {
        let i = id as usize;
        let Some(&end) = self.ends.get(i) else {
            return &[];
        };
        let start = match i.checked_sub(1) {
            Some(before) => self.ends[before],
            None => 0,
        };
        self.text
            .as_bytes()
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// Every string in number order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len() as u32).map(|i| self.get_str(i))
    }

    /// The slot where `s` (of hash `h`) is, or the free slot where it would go.
    fn slot(&self, s: &str, h: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = (h as usize) & mask;
        loop {
            let id = self.slots[at];
            if id == EMPTY || same(self.get_bytes(id), s.as_bytes()) {
                return at;
            }
            at = (at + 1) & mask;
        }
    }

    /// The number of `s`, if the table holds it.
    pub fn get(&self, s: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        match self.slots[self.slot(s, hash(s))] {
            EMPTY => None,
            id => Some(id),
        }
    }

    /// The number of `s` and whether it was added now (numbered after the others) rather than
    /// found.
    pub fn insert(&mut self, s: &str) -> (u32, bool) {
        if self.slots.len() < 2 * (self.ends.len() + 1) {
            self.grow_slots(self.ends.len() + 1);
        }
        let at = self.slot(s, hash(s));
        if self.slots[at] != EMPTY {
            return (self.slots[at], false);
        }
        let id = self.ends.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        self.slots[at] = id;
        (id, true)
    }

    /// The number of `s`, adding it if new.
    pub fn intern(&mut self, s: &str) -> u32 {
        self.insert(s).0
    }

    /// Makes the hash table large enough for `n` strings (at most half full) and places
    /// every string again.
    fn grow_slots(&mut self, n: usize) {
        let want = (2 * n.max(1)).next_power_of_two().max(8);
        if self.slots.len() >= want {
            return;
        }
        self.slots = vec![EMPTY; want];
        let mask = want - 1;
        for id in 0..self.ends.len() as u32 {
            let mut at = (hash(self.get_str(id)) as usize) & mask;
            while self.slots[at] != EMPTY {
                at = (at + 1) & mask;
            }
            self.slots[at] = id;
        }
    }

    /// Gives back the room the buffers grew beyond their content (the hash table keeps its
    /// size).
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_numbered_in_order_and_found_again() {
        let mut s = Strings::default();
        assert_eq!(s.get("a"), None);
        let words: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(s.insert(w), (i as u32, true));
        }
        assert_eq!(s.insert("w5"), (5, false));
        assert_eq!(s.intern(""), 1000);
        assert_eq!(s.get(""), Some(1000));
        for (i, w) in words.iter().enumerate() {
            assert_eq!(s.get(w), Some(i as u32));
            assert_eq!(s.get_str(i as u32), w);
        }
        assert_eq!(s.get("w1000"), None);
        assert_eq!(s.get_str(5000), "");
        assert_eq!(s.iter().count(), 1001);
        let mut t = Strings::with_capacity(3, 10);
        t.intern("x");
        assert_eq!(t.get("x"), Some(0));
    }
}
