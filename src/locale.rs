//! The few words bindery itself puts in a book (the contents' title, page names), in the
//! book's language: every language of the language table ([`crate::lang`]) has a row.
//! Languages not listed get English (and a `check` warning, W0804); a book can always retitle
//! its contents with `contents_title:` in `book.yaml`.

/// Words of the generated pages, in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// Title of the table of contents.
    pub contents: &'static str,
    /// Title of the cover page.
    pub cover: &'static str,
    /// The cover image's text alternative, before the book's title ("Cover of").
    pub cover_of: &'static str,
    /// Title of the copyright page.
    pub copyright: &'static str,
    /// Name of a chapter's notes section (for assistive technology).
    pub notes: &'static str,
}

const EN: Words = Words {
    contents: "Contents",
    cover: "Cover",
    cover_of: "Cover of",
    copyright: "Copyright",
    notes: "Notes",
};

/// (primary language subtag, words). English is the fallback.
const TABLE: &[(&str, Words)] = &[
    ("en", EN),
    (
        "fr",
        Words {
            contents: "Table des matières",
            cover: "Couverture",
            cover_of: "Couverture de",
            copyright: "Droits d’auteur",
            notes: "Notes",
        },
    ),
    (
        "de",
        Words {
            contents: "Inhalt",
            cover: "Umschlag",
            cover_of: "Umschlag von",
            copyright: "Impressum",
            notes: "Anmerkungen",
        },
    ),
    (
        "es",
        Words {
            contents: "Índice",
            cover: "Cubierta",
            cover_of: "Cubierta de",
            copyright: "Créditos",
            notes: "Notas",
        },
    ),
    (
        "it",
        Words {
            contents: "Indice",
            cover: "Copertina",
            cover_of: "Copertina di",
            copyright: "Colophon",
            notes: "Note",
        },
    ),
    (
        "pt",
        Words {
            contents: "Sumário",
            cover: "Capa",
            cover_of: "Capa de",
            copyright: "Direitos autorais",
            notes: "Notas",
        },
    ),
    (
        "nl",
        Words {
            contents: "Inhoud",
            cover: "Omslag",
            cover_of: "Omslag van",
            copyright: "Colofon",
            notes: "Noten",
        },
    ),
    (
        "ca",
        Words {
            contents: "Índex",
            cover: "Coberta",
            cover_of: "Coberta de",
            copyright: "Crèdits",
            notes: "Notes",
        },
    ),
    (
        "pl",
        Words {
            contents: "Spis treści",
            cover: "Okładka",
            cover_of: "Okładka książki",
            copyright: "Prawa autorskie",
            notes: "Przypisy",
        },
    ),
    (
        "cs",
        Words {
            contents: "Obsah",
            cover: "Obálka",
            cover_of: "Obálka knihy",
            copyright: "Tiráž",
            notes: "Poznámky",
        },
    ),
    (
        "sk",
        Words {
            contents: "Obsah",
            cover: "Obálka",
            cover_of: "Obálka knihy",
            copyright: "Tiráž",
            notes: "Poznámky",
        },
    ),
    (
        "sl",
        Words {
            contents: "Kazalo",
            cover: "Naslovnica",
            cover_of: "Naslovnica knjige",
            copyright: "Kolofon",
            notes: "Opombe",
        },
    ),
    (
        "hr",
        Words {
            contents: "Sadržaj",
            cover: "Naslovnica",
            cover_of: "Naslovnica knjige",
            copyright: "Impresum",
            notes: "Bilješke",
        },
    ),
    (
        "hu",
        Words {
            contents: "Tartalom",
            cover: "Borító",
            cover_of: "Borító:",
            copyright: "Impresszum",
            notes: "Jegyzetek",
        },
    ),
    (
        "ro",
        Words {
            contents: "Cuprins",
            cover: "Copertă",
            cover_of: "Coperta cărții",
            copyright: "Drepturi de autor",
            notes: "Note",
        },
    ),
    (
        "sv",
        Words {
            contents: "Innehåll",
            cover: "Omslag",
            cover_of: "Omslag till",
            copyright: "Upphovsrätt",
            notes: "Noter",
        },
    ),
    (
        "fi",
        Words {
            contents: "Sisällys",
            cover: "Kansi",
            cover_of: "Kansi:",
            copyright: "Tekijänoikeudet",
            notes: "Viitteet",
        },
    ),
    (
        "da",
        Words {
            contents: "Indhold",
            cover: "Omslag",
            cover_of: "Omslag til",
            copyright: "Ophavsret",
            notes: "Noter",
        },
    ),
    (
        "nb",
        Words {
            contents: "Innhold",
            cover: "Omslag",
            cover_of: "Omslag til",
            copyright: "Opphavsrett",
            notes: "Noter",
        },
    ),
    (
        "nn",
        Words {
            contents: "Innhald",
            cover: "Omslag",
            cover_of: "Omslag til",
            copyright: "Opphavsrett",
            notes: "Notar",
        },
    ),
    (
        "no",
        Words {
            contents: "Innhold",
            cover: "Omslag",
            cover_of: "Omslag til",
            copyright: "Opphavsrett",
            notes: "Noter",
        },
    ),
    (
        "ru",
        Words {
            contents: "Содержание",
            cover: "Обложка",
            cover_of: "Обложка книги",
            copyright: "Авторские права",
            notes: "Примечания",
        },
    ),
    (
        "uk",
        Words {
            contents: "Зміст",
            cover: "Обкладинка",
            cover_of: "Обкладинка книги",
            copyright: "Авторські права",
            notes: "Примітки",
        },
    ),
    (
        "bg",
        Words {
            contents: "Съдържание",
            cover: "Корица",
            cover_of: "Корица на",
            copyright: "Авторски права",
            notes: "Бележки",
        },
    ),
    (
        "el",
        Words {
            contents: "Περιεχόμενα",
            cover: "Εξώφυλλο",
            cover_of: "Εξώφυλλο του",
            copyright: "Πνευματικά δικαιώματα",
            notes: "Σημειώσεις",
        },
    ),
    (
        "tr",
        Words {
            contents: "İçindekiler",
            cover: "Kapak",
            cover_of: "Kapak:",
            copyright: "Telif hakkı",
            notes: "Notlar",
        },
    ),
    (
        "et",
        Words {
            contents: "Sisukord",
            cover: "Kaas",
            cover_of: "Kaas:",
            copyright: "Autoriõigus",
            notes: "Märkused",
        },
    ),
    (
        "lt",
        Words {
            contents: "Turinys",
            cover: "Viršelis",
            cover_of: "Viršelis:",
            copyright: "Autorių teisės",
            notes: "Pastabos",
        },
    ),
    (
        "id",
        Words {
            contents: "Daftar Isi",
            cover: "Sampul",
            cover_of: "Sampul",
            copyright: "Hak cipta",
            notes: "Catatan",
        },
    ),
    (
        "vi",
        Words {
            contents: "Mục lục",
            cover: "Bìa",
            cover_of: "Bìa sách",
            copyright: "Bản quyền",
            notes: "Ghi chú",
        },
    ),
    (
        "km",
        Words {
            contents: "មាតិកា",
            cover: "គម្រប",
            cover_of: "គម្របសៀវភៅ",
            copyright: "រក្សាសិទ្ធិ",
            notes: "កំណត់សម្គាល់",
        },
    ),
    (
        "th",
        Words {
            contents: "สารบัญ",
            cover: "ปก",
            cover_of: "ปกของ",
            copyright: "ลิขสิทธิ์",
            notes: "หมายเหตุ",
        },
    ),
    (
        "lo",
        Words {
            contents: "ສາລະບານ",
            cover: "ໜ້າປົກ",
            cover_of: "ໜ້າປົກຂອງ",
            copyright: "ລິຂະສິດ",
            notes: "ໝາຍເຫດ",
        },
    ),
    (
        "my",
        Words {
            contents: "မာတိကာ",
            cover: "မျက်နှာဖုံး",
            cover_of: "မျက်နှာဖုံး -",
            copyright: "မူပိုင်ခွင့်",
            notes: "မှတ်စုများ",
        },
    ),
    (
        "ja",
        Words {
            contents: "目次",
            cover: "表紙",
            cover_of: "表紙：",
            copyright: "著作権",
            notes: "注",
        },
    ),
    (
        "zh",
        Words {
            contents: "目录",
            cover: "封面",
            cover_of: "封面：",
            copyright: "版权",
            notes: "注释",
        },
    ),
    (
        "ko",
        Words {
            contents: "목차",
            cover: "표지",
            cover_of: "표지:",
            copyright: "저작권",
            notes: "주석",
        },
    ),
    (
        "ar",
        Words {
            contents: "المحتويات",
            cover: "الغلاف",
            cover_of: "غلاف",
            copyright: "حقوق النشر",
            notes: "الحواشي",
        },
    ),
    (
        "he",
        Words {
            contents: "תוכן העניינים",
            cover: "כריכה",
            cover_of: "כריכת",
            copyright: "זכויות יוצרים",
            notes: "הערות",
        },
    ),
    (
        "fa",
        Words {
            contents: "فهرست مطالب",
            cover: "جلد",
            cover_of: "جلد",
            copyright: "حق نشر",
            notes: "یادداشت‌ها",
        },
    ),
    (
        "ur",
        Words {
            contents: "فہرست",
            cover: "سرورق",
            cover_of: "سرورق",
            copyright: "حق اشاعت",
            notes: "حواشی",
        },
    ),
];

/// The words for a BCP 47 language tag (`fr-CA` → French); English when not listed.
pub fn words(language: &str) -> Words {
    lookup(language).unwrap_or(EN)
}

/// Whether bindery has its words in the language of a tag (when not, [`words`] gives
/// English and `check` warns).
pub fn has_words(language: &str) -> bool {
    lookup(language).is_some()
}

fn lookup(language: &str) -> Option<Words> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    TABLE
        .iter()
        .find(|(tag, _)| *tag == primary)
        .map(|(_, w)| *w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_subtag_picks_the_words_and_english_is_the_fallback() {
        assert_eq!(words("fr-CA").contents, "Table des matières");
        assert_eq!(words("DE").contents, "Inhalt");
        assert_eq!(words("en-GB"), EN);
        assert_eq!(words("km").contents, "មាតិកា");
        assert_eq!(words("xx").contents, "Contents");
        assert_eq!(words("").contents, "Contents");
        assert!(!has_words("xx") && has_words("ja-JP"));
    }

    #[test]
    fn every_language_of_the_language_table_has_its_words() {
        for language in crate::lang::all() {
            assert!(
                has_words(language.tag),
                "no words for {} ({})",
                language.tag,
                language.name
            );
        }
        for (tag, w) in TABLE {
            for word in [w.contents, w.cover, w.cover_of, w.copyright, w.notes] {
                assert!(!word.trim().is_empty(), "{tag}: an empty word");
            }
        }
    }
}
