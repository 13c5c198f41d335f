pub mod login;
pub mod not_found;
pub mod org;
pub mod public;
pub mod tablet;
pub mod workbench;
