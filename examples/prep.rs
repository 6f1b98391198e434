//! Print a feed document as `feed::prepare` hands it to the parsers (debugging aid).
fn main() {
    for p in std::env::args().skip(1) {
        let bytes = std::fs::read(&p).unwrap_or_default();
        let prepared = feedbrief::feed::prepare::prepare(&bytes, None);
        println!("{}", prepared.text);
    }
}
