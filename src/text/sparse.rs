//! Sparse term vectors (term id, weight), sorted by term: the one dot product that the
//! summarizer's sentence similarity and the story clustering both score with.

/// The dot product of two sparse vectors, each sorted by term id.
pub(crate) fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::dot;

    #[test]
    fn only_shared_terms_count() {
        let a = [(1, 2.0), (3, 1.0), (7, 4.0)];
        let b = [(0, 5.0), (3, 3.0), (7, 0.5), (9, 1.0)];
        assert_eq!(dot(&a, &b), 3.0 + 2.0);
        assert_eq!(dot(&a, &[]), 0.0);
    }
}
