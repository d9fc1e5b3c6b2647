//! Rows of varying length kept one after another in a single vector (a "ragged array"):
//! one allocation for every row instead of one per row, so a matcher built for a large base
//! holds no small block per entry (each costs its 24-byte header, the allocator's overhead,
//! and a page the allocator cannot give back while one such block lives in it).

/// Rows of `T`, numbered from 0 in the order pushed. Sizes: the items themselves plus 4
/// bytes a row.
#[derive(Debug, Clone)]
pub(crate) struct Ragged<T> {
    items: Vec<T>,
    /// Row `i` is `items[starts[i]..starts[i + 1]]`; always one more than the rows.
    starts: Vec<u32>,
}

impl<T> Default for Ragged<T> {
    fn default() -> Self {
        Ragged {
            items: Vec::new(),
            starts: vec![0],
        }
    }
}

impl<T> Ragged<T> {
    /// An empty list with room for `rows` rows.
    pub fn with_rows(rows: usize) -> Self {
        let mut starts = Vec::with_capacity(rows + 1);
        starts.push(0);
        Ragged {
            items: Vec::new(),
            starts,
        }
    }

    /// Appends a row.
    pub fn push_row(&mut self, row: impl IntoIterator<Item = T>) {
        self.items.extend(row);
        self.starts.push(self.items.len() as u32);
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Row `i` (empty past the last row).
    pub fn row(&self, i: usize) -> &[T] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Every row in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &[T]> + '_ {
        (0..self.len()).map(|i| self.row(i))
    }

    /// Gives back the room the vectors grew beyond their content.
    pub fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.starts.shrink_to_fit();
    }
}

impl Ragged<u8> {
    /// Row `i` as text (`""` past the last row or if it is not UTF-8: rows pushed with
    /// [`Ragged::push_str`] always are).
    pub fn str(&self, i: usize) -> &str {
        std::str::from_utf8(self.row(i)).unwrap_or_default()
    }

    /// Appends `s` as a row.
    pub fn push_str(&mut self, s: &str) {
        self.push_row(s.bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_as_pushed() {
        let mut r: Ragged<u32> = Ragged::with_rows(3);
        r.push_row([1, 2]);
        r.push_row([]);
        r.push_row([3]);
        assert_eq!(r.len(), 3);
        assert_eq!(r.rows().collect::<Vec<_>>(), [&[1, 2][..], &[], &[3]]);
        assert_eq!(r.row(7), &[] as &[u32]);
        let mut s: Ragged<u8> = Ragged::default();
        s.push_str("entry-1");
        s.push_str("");
        assert_eq!((s.str(0), s.str(1), s.str(2)), ("entry-1", "", ""));
    }
}
