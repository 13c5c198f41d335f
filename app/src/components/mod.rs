//! Shared pieces of every page: the area layouts, form fields, tables with a pager, filter
//! bars kept in the URL, confirmation dialogs, loading/empty/error states, the org tree,
//! file uploads, parts fetched after hydration, the member picker.

pub mod dialog;
pub mod feedback;
pub mod filter;
pub mod form;
pub mod later;
pub mod layout;
pub mod member_picker;
pub mod org_tree;
pub mod table;
pub mod upload;
