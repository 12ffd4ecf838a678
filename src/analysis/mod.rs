//! What runs mean: [`sensitivity`] ranks the baseline's parameters by their
//! effect on lead time; [`forecast`] turns runs (or a delivery history) into
//! delivery dates and counts.
//!
//! May use `sim`, `model` and `stats`; never prints or writes files.

pub mod calibrate;
pub mod forecast;
pub mod invest;
pub mod sensitivity;
