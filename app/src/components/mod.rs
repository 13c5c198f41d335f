pub mod feedback;
pub mod layout;
pub mod org_tree;
