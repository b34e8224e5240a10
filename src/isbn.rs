//! ISBN-13 hyphenation: `9780306406157` → `978-0-306-40615-7`, by the registration-group and
//! registrant ranges of the International ISBN Agency.
//!
//! An ISBN-13 is five elements: the EAN prefix (978 or 979), the registration group (a
//! language or country area), the registrant (the publisher), the publication and the check
//! digit. The groups and registrants vary in length; where each ends is fixed by the agency's
//! published ranges (its `RangeMessage.xml`). The table below is a compact transcription of
//! those ranges, as published on 19 June 2014 (message serial
//! 95adc47f-d968-4bd9-bee6-5aa3a54017e6), for the EAN prefixes' group ranges and for the
//! registrants of the largest groups: the English, French, German, Japanese, Russian, Chinese,
//! Spanish, Brazilian, Danish, Italian, Korean, Dutch, Swedish and Portuguese areas, and
//! 979-10 to 979-12. An ISBN whose group or registrant the table does not cover is printed as
//! its 13 digits unhyphenated: a wrong hyphen would be a wrong fact, a missing one is not.
//!
//! Ranges are written as the agency writes them: `("200", "699")` means registrants whose
//! first three digits are 200 to 699 are three digits long. A range's length is the length of
//! its bounds.

/// Registration groups of each EAN prefix, as ranges of the digits after the prefix.
const GROUPS: &[(&str, &[(&str, &str)])] = &[
    (
        "978",
        &[
            ("0", "5"),
            ("600", "649"),
            ("7", "7"),
            ("80", "94"),
            ("950", "989"),
            ("9900", "9989"),
            ("99900", "99999"),
        ],
    ),
    ("979", &[("10", "12")]),
];

/// Registrant ranges of the groups the table covers, keyed by `prefix-group`.
const REGISTRANTS: &[(&str, &[(&str, &str)])] = &[
    (
        "978-0",
        &[
            ("00", "19"),
            ("200", "699"),
            ("7000", "8499"),
            ("85000", "89999"),
            ("900000", "949999"),
            ("9500000", "9999999"),
        ],
    ),
    (
        "978-1",
        &[
            ("00", "09"),
            ("100", "399"),
            ("4000", "5499"),
            ("55000", "86979"),
            ("869800", "998999"),
            ("9990000", "9999999"),
        ],
    ),
    (
        "978-2",
        &[
            ("00", "19"),
            ("200", "349"),
            ("35000", "39999"),
            ("400", "699"),
            ("7000", "8399"),
            ("84000", "89999"),
            ("900000", "949999"),
            ("9500000", "9999999"),
        ],
    ),
    (
        "978-3",
        &[
            ("00", "02"),
            ("030", "033"),
            ("0340", "0369"),
            ("03700", "03999"),
            ("04", "19"),
            ("200", "699"),
            ("7000", "8499"),
            ("85000", "89999"),
            ("900000", "949999"),
            ("9500000", "9539999"),
            ("95400", "96999"),
            ("9700000", "9899999"),
            ("99000", "99499"),
            ("99500", "99999"),
        ],
    ),
    (
        "978-4",
        &[
            ("00", "19"),
            ("200", "699"),
            ("7000", "8499"),
            ("85000", "89999"),
            ("900000", "949999"),
            ("9500000", "9999999"),
        ],
    ),
    (
        "978-5",
        &[
            ("00000", "00499"),
            ("0050", "0099"),
            ("01", "19"),
            ("200", "420"),
            ("4210", "4299"),
            ("430", "430"),
            ("4310", "4399"),
            ("440", "440"),
            ("4410", "4499"),
            ("450", "699"),
            ("7000", "8499"),
            ("85000", "89999"),
            ("900000", "909999"),
            ("91000", "91999"),
            ("9200", "9299"),
            ("93000", "94999"),
            ("9500000", "9500999"),
            ("9501", "9799"),
            ("98000", "98999"),
            ("9900000", "9909999"),
            ("9910", "9999"),
        ],
    ),
    (
        "978-7",
        &[
            ("00", "09"),
            ("100", "499"),
            ("5000", "7999"),
            ("80000", "89999"),
            ("900000", "999999"),
        ],
    ),
    (
        "978-84",
        &[
            ("00", "13"),
            ("140", "149"),
            ("15000", "19999"),
            ("200", "699"),
            ("7000", "8499"),
            ("85000", "89999"),
            ("9000", "9199"),
            ("920000", "923999"),
            ("92400", "92999"),
            ("930000", "949999"),
            ("95000", "96999"),
            ("9700", "9999"),
        ],
    ),
    (
        "978-85",
        &[
            ("00", "19"),
            ("200", "599"),
            ("60000", "69999"),
            ("7000", "8499"),
            ("85000", "89999"),
            ("900000", "979999"),
            ("98000", "99999"),
        ],
    ),
    (
        "978-87",
        &[
            ("00", "29"),
            ("400", "649"),
            ("7000", "7999"),
            ("85000", "94999"),
            ("970000", "999999"),
        ],
    ),
    (
        "978-88",
        &[
            ("00", "19"),
            ("200", "599"),
            ("6000", "8499"),
            ("85000", "89999"),
            ("900000", "909999"),
            ("910", "929"),
            ("9300", "9399"),
            ("940000", "949999"),
            ("95000", "99999"),
        ],
    ),
    (
        "978-89",
        &[
            ("00", "24"),
            ("250", "549"),
            ("5500", "8499"),
            ("85000", "94999"),
            ("950000", "969999"),
            ("97000", "98999"),
            ("990", "999"),
        ],
    ),
    (
        "978-90",
        &[
            ("00", "19"),
            ("200", "499"),
            ("5000", "6999"),
            ("70000", "79999"),
            ("800000", "849999"),
            ("8500", "8999"),
            ("90", "90"),
            ("94", "94"),
        ],
    ),
    (
        "978-91",
        &[
            ("0", "1"),
            ("20", "49"),
            ("500", "649"),
            ("7000", "7999"),
            ("85000", "94999"),
            ("970000", "999999"),
        ],
    ),
    (
        "978-94",
        &[("000", "599"), ("6000", "8999"), ("90000", "99999")],
    ),
    (
        "978-972",
        &[
            ("0", "1"),
            ("20", "54"),
            ("550", "799"),
            ("8000", "9499"),
            ("95000", "99999"),
        ],
    ),
    (
        "978-989",
        &[
            ("0", "1"),
            ("20", "54"),
            ("550", "799"),
            ("8000", "9499"),
            ("95000", "99999"),
        ],
    ),
    (
        "979-10",
        &[
            ("00", "19"),
            ("200", "699"),
            ("7000", "8999"),
            ("90000", "97599"),
            ("976000", "999999"),
        ],
    ),
    (
        "979-11",
        &[
            ("00", "24"),
            ("250", "549"),
            ("5500", "8499"),
            ("85000", "94999"),
            ("950000", "999999"),
        ],
    ),
    ("979-12", &[("200", "200")]),
];

/// The length of the element that starts `digits`, by `ranges`; `None` when no range holds it.
fn element_len(digits: &str, ranges: &[(&str, &str)]) -> Option<usize> {
    ranges.iter().find_map(|(first, last)| {
        let head = digits.get(..first.len())?;
        (*first <= head && head <= *last).then_some(first.len())
    })
}

/// A valid ISBN-13 (13 ASCII digits, as `config` normalises it) with its four hyphens, or its
/// digits unchanged when the table does not cover its group or registrant.
pub fn hyphenate(isbn: &str) -> String {
    let split = || -> Option<String> {
        if isbn.len() != 13 || !isbn.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (prefix, rest) = isbn.split_at(3);
        let groups = GROUPS.iter().find(|(p, _)| *p == prefix)?.1;
        // The last digit is the check digit: groups and registrants never reach it.
        let body = &rest[..9];
        let group_len = element_len(body, groups)?;
        let (group, after) = body.split_at(group_len);
        let key = format!("{prefix}-{group}");
        let registrants = REGISTRANTS.iter().find(|(k, _)| *k == key)?.1;
        let registrant_len = element_len(after, registrants)?;
        let (registrant, publication) = after.split_at(registrant_len);
        if publication.is_empty() {
            return None;
        }
        Some(format!("{key}-{registrant}-{publication}-{}", &rest[9..]))
    };
    split().unwrap_or_else(|| isbn.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphens_follow_the_group_and_registrant_ranges() {
        // The ISBN of the standard's own examples, English area, three-digit registrant.
        assert_eq!(hyphenate("9780306406157"), "978-0-306-40615-7");
        // English area, two-digit registrant.
        assert_eq!(hyphenate("9780141036144"), "978-0-14-103614-4");
        // French area, three-digit registrant (Gallimard, 07).
        assert_eq!(hyphenate("9782070360024"), "978-2-07-036002-4");
        // German area, five-digit registrant range 95400–96999.
        assert_eq!(hyphenate("9783955000001"), "978-3-95500-000-1");
        // A three-digit group (Portugal, 972).
        assert_eq!(hyphenate("9789722124050"), "978-972-21-2405-0");
        // 979-10 (France).
        assert_eq!(hyphenate("9791032300824"), "979-10-323-0082-4");
    }

    #[test]
    fn uncovered_groups_and_malformed_input_stay_as_they_are() {
        // 978-600 (Iran) is a group the table does not list registrants for.
        assert_eq!(hyphenate("9786001234567"), "9786001234567");
        // 978-6500… is in no group range of 978.
        assert_eq!(hyphenate("9786500000000"), "9786500000000");
        assert_eq!(hyphenate("978030640615"), "978030640615");
        assert_eq!(hyphenate("97803064061x7"), "97803064061x7");
        assert_eq!(hyphenate(""), "");
    }
}
