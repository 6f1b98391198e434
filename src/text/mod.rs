//! The ground floor of text handling every stage uses, one policy each: character
//! encodings (`charset`), character and entity references (`entities`), languages
//! (`language`), scripts (`scripts`), sparse term vectors (`sparse`), stop words (`stopwords`) and whitespace
//! (`whitespace`). Nothing here knows about feeds, pages or summaries.

pub(crate) mod charset;
pub(crate) mod entities;
pub(crate) mod language;
pub(crate) mod scripts;
pub(crate) mod sparse;
pub(crate) mod stopwords;
pub(crate) mod whitespace;

pub(crate) use whitespace::collapse_ws;
