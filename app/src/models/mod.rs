//! Wire types shared by server and browser, and the pure rules that shape them.

pub mod account;
pub mod audit;
pub mod member;
pub mod member_form;
pub mod org;
pub mod pipeline;
pub mod transfer;

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
}
