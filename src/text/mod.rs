//! The ground floor of text handling every stage uses, one policy each: character
//! encodings (`charset`), character and entity references (`entities`), languages
//! (`language`), scripts (`scripts`), stop words (`stopwords`) and whitespace
//! (`whitespace`). Nothing here knows about feeds, pages or summaries.

pub mod charset;
pub mod entities;
pub mod language;
pub mod scripts;
pub mod stopwords;
pub mod whitespace;

pub use whitespace::collapse_ws;
