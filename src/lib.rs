//! sendcloud-plugin: ship a retail back office's goods deliveries through Sendcloud.

pub mod standin;
