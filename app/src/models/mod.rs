//! Wire types shared by server and browser, and the pure rules that shape them.

pub mod account;
pub mod audit;
pub mod member;
pub mod member_form;
pub mod org;
pub mod pipeline;
pub mod transfer;
