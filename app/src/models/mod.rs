//! Wire types shared by server and browser, and the pure rules that shape them.

/// A closed set of values stored and sent as fixed lower-case words, each with its label:
/// the enum, its word (`as_str`, `parse`, serde and, on the server, SurrealDB values are
/// all the same word), its text (`label`, a key of `T`), the list of all values, and
/// comparison with a word (for code that still holds one).
///
/// ```ignore
/// word_enum! { /// 性别.
///     Gender { Male => "male" / GenderMale, Female => "female" / GenderFemale } }
/// ```
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident {
        $($(#[$vmeta:meta])* $variant:ident => $word:literal / $label:ident),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        // Written and read as its word only, by hand: a derived `Deserialize` also takes a
        // one-key map or a variant index, and costs the browser several times the code for
        // each enum (docs/wasm-size.md).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <String as serde::Deserialize>::deserialize(d)?;
                $name::parse(&word)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&word, &[$($word),+]))
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            pub fn parse(word: &str) -> Option<$name> {
                match word {
                    $($word => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The value's name in the reader's language.
            pub fn label(self) -> crate::i18n::T {
                match self {
                    $($name::$variant => crate::i18n::T::$label),+
                }
            }
        }

        /// Its word (for logs and the audit trail's English summaries).
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, word: &str) -> bool {
                self.as_str() == word
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, word: &&str) -> bool {
                self.as_str() == *word
            }
        }

        /// Stored as its word: a row field of this type reads and writes the same string
        /// column the schema asserts.
        #[cfg(feature = "ssr")]
        impl surrealdb::types::SurrealValue for $name {
            fn kind_of() -> surrealdb::types::Kind {
                surrealdb::types::Kind::String
            }

            fn into_value(self) -> surrealdb::types::Value {
                surrealdb::types::Value::String(self.as_str().to_string())
            }

            fn from_value(
                value: surrealdb::types::Value,
            ) -> Result<Self, surrealdb::types::Error> {
                match &value {
                    surrealdb::types::Value::String(word) => $name::parse(word).ok_or_else(|| {
                        surrealdb::types::out_of_range_error(word, stringify!($name))
                    }),
                    _ => Err(surrealdb::types::conversion_error(
                        surrealdb::types::Kind::String,
                        value,
                    )),
                }
            }
        }
    };
}

pub mod account;
pub mod appraisal;
pub mod assessment;
pub mod audit;
pub mod closed_loop;
pub mod files;
pub mod import;
pub mod learning;
pub mod meeting;
pub mod member;
pub mod member_form;
pub mod notification;
pub mod org;
pub mod pipeline;
pub mod points;
pub mod quiz;
pub mod reflection;
pub mod required;
pub mod room;
pub mod transfer;
pub mod wire_date;

/// The text trimmed and cut to `max` characters (reasons, notes, names typed in a form).
pub fn clip(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

/// Where page `page` (from 1) of `size` rows starts. Computed in 64 bits: a page number
/// sent by a client (up to `u32::MAX`) cannot overflow it.
pub fn page_start(page: u32, size: u32) -> i64 {
    i64::from(page.max(1) - 1) * i64::from(size)
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_start_never_overflows() {
        assert_eq!(super::page_start(0, 20), 0);
        assert_eq!(super::page_start(1, 20), 0);
        assert_eq!(super::page_start(3, 20), 40);
        assert_eq!(
            super::page_start(u32::MAX, 50),
            i64::from(u32::MAX - 1) * 50
        );
    }

    #[test]
    fn a_word_enum_is_written_and_read_as_its_word_only() {
        use super::member::Gender;
        assert_eq!(
            serde_json::to_string(&Gender::Female).unwrap(),
            r#""female""#
        );
        assert_eq!(
            serde_json::from_str::<Gender>(r#""male""#).unwrap(),
            Gender::Male
        );
        let unknown = serde_json::from_str::<Gender>(r#""Male""#)
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("unknown variant `Male`, expected `male` or `female`"),
            "{unknown}"
        );
        assert!(serde_json::from_str::<Gender>(r#"{"male":null}"#).is_err());
        assert!(serde_json::from_str::<Gender>("0").is_err());
    }
}
