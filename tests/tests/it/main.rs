//! One test binary: every test starts the real server on port 0 with a fresh in-memory
//! SurrealDB and talks to it over HTTP.

mod support;

mod accounts;
mod appraisal;
mod assessment;
mod audit;
mod auth;
mod caches;
mod files;
mod fixture;
mod health;
mod import;
mod learning;
mod meeting;
mod member_records;
mod migrations;
mod org;
mod org_admin;
mod pages;
mod pipeline;
mod points;
mod privacy;
mod quiz;
mod reflection;
mod reminders;
mod required;
mod roster;
mod security;
mod tablet;
mod transfer;
