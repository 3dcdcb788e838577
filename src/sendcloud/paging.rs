//! Cursor paging as lazy `futures::Stream`s in constant memory.
//!
//! v2 list answers carry a `next` URL; v3 answers a `Link: <...>; rel="next"`
//! header. In both cases only the `cursor` query parameter is copied from the
//! link into our own request URL (the link's host may differ from the
//! configured one). One page is held at a time and the next page is fetched
//! only when the consumer asks for it.

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use reqwest::header::{HeaderMap, LINK};
use serde::de::DeserializeOwned;
use url::Url;

use crate::sendcloud::client::SendcloudClient;
use crate::sendcloud::error::Result;

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor this page was fetched with (`None` for the first page).
    pub cursor: Option<String>,
    /// The cursor of the next page; `None` on the last page. Save it to resume.
    pub next_cursor: Option<String>,
}

/// Extracts the `cursor` query parameter of a link.
pub fn cursor_of(link: &str) -> Option<String> {
    let url = Url::parse(link)
        .or_else(|_| Url::parse("http://relative.invalid/").and_then(|b| b.join(link)))
        .ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.into_owned())
}

/// The cursor of a `next` value: the `cursor` parameter of a URL, or the
/// value itself when Sendcloud sends a bare cursor (the spec types `next` as
/// an integer for some endpoints).
fn next_cursor_of(next: &str) -> Option<String> {
    let next = next.trim();
    if next.is_empty() {
        return None;
    }
    cursor_of(next).or_else(|| {
        let bare = !next.contains(['/', '?', '&', '=', ' ']);
        bare.then(|| next.to_string())
    })
}

/// The `rel="next"` target of an RFC 5988 `Link` header.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(LINK) {
        let Ok(text) = value.to_str() else { continue };
        for part in text.split(',') {
            let mut pieces = part.split(';');
            let Some(target) = pieces.next() else {
                continue;
            };
            let is_next = pieces.any(|p| {
                let p = p.trim().replace(' ', "");
                p == "rel=\"next\"" || p == "rel=next"
            });
            if is_next {
                let target = target.trim().trim_start_matches('<').trim_end_matches('>');
                return Some(target.to_string());
            }
        }
    }
    None
}

fn with_cursor(base: &Url, cursor: Option<&str>) -> Url {
    let mut url = base.clone();
    let kept: Vec<(String, String)> = base
        .query_pairs()
        .filter(|(k, _)| k != "cursor")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in &kept {
            pairs.append_pair(k, v);
        }
        if let Some(c) = cursor {
            pairs.append_pair("cursor", c);
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    url
}

/// How a listing answer is decoded into items and the next link.
pub(crate) trait PageBody<T>: DeserializeOwned {
    /// Items and the `next` URL from the body (v2).
    fn split(self) -> (Vec<T>, Option<String>);
}

/// Which paging protocol the endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// `next` URL in the body.
    BodyNext,
    /// `Link` header.
    LinkHeader,
}

enum State {
    Next(Option<String>),
    Done,
}

/// Lazy stream of pages starting at `first` (which may already carry a cursor).
pub(crate) fn pages<T, B>(
    client: SendcloudClient,
    first: Url,
    protocol: Protocol,
) -> impl Stream<Item = Result<Page<T>>> + Send + 'static
where
    T: Send + 'static,
    B: PageBody<T> + Send + 'static,
{
    let start_cursor = first
        .query_pairs()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.into_owned());
    stream::try_unfold(State::Next(start_cursor), move |state| {
        let client = client.clone();
        let first = first.clone();
        async move {
            let cursor = match state {
                State::Done => return Ok(None),
                State::Next(c) => c,
            };
            let url = with_cursor(&first, cursor.as_deref());
            let resp = client
                .execute(
                    reqwest::Method::GET,
                    url,
                    None,
                    crate::sendcloud::client::Accept::Json,
                    crate::sendcloud::client::RetryMode::Safe,
                )
                .await?;
            let header_next = next_link(&resp.headers);
            let body: B = resp.json()?;
            let (items, body_next) = body.split();
            let next = match protocol {
                Protocol::BodyNext => body_next,
                Protocol::LinkHeader => header_next,
            };
            let next_cursor = next.as_deref().and_then(next_cursor_of);
            // A next link without a cursor, or the same cursor again, ends paging.
            let next_cursor = next_cursor.filter(|c| Some(c) != cursor.as_ref());
            let state = match &next_cursor {
                Some(c) => State::Next(Some(c.clone())),
                None => State::Done,
            };
            Ok(Some((
                Page {
                    items,
                    cursor,
                    next_cursor,
                },
                state,
            )))
        }
    })
}

/// Flattens a page stream into an item stream.
pub(crate) fn items<T, S>(pages: S) -> impl Stream<Item = Result<T>> + Send + 'static
where
    T: Send + 'static,
    S: Stream<Item = Result<Page<T>>> + Send + 'static,
{
    pages
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
}

/// Turns a URL-building result into a stream: an error becomes a one-item
/// error stream, otherwise `make` builds the page stream.
pub(crate) fn from_url_result<T, S, F>(
    url: Result<Url>,
    make: F,
) -> futures_util::stream::BoxStream<'static, Result<T>>
where
    T: Send + 'static,
    S: Stream<Item = Result<T>> + Send + 'static,
    F: FnOnce(Url) -> S,
{
    match url {
        Ok(url) => make(url).boxed(),
        Err(e) => stream::once(async move { Err(e) }).boxed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn link_header_next() {
        let mut h = HeaderMap::new();
        h.insert(
            LINK,
            HeaderValue::from_static(
                "<https://panel.sendcloud.sc/api/v3/orders?cursor=abc%3D>; rel=\"prev\", <https://panel.sendcloud.sc/v3/orders?cursor=cD0y>; rel=\"next\"",
            ),
        );
        let next = next_link(&h);
        assert_eq!(next.as_deref().and_then(cursor_of).as_deref(), Some("cD0y"));
    }

    #[test]
    fn bare_and_url_next_values() {
        assert_eq!(next_cursor_of("2").as_deref(), Some("2"));
        assert_eq!(
            next_cursor_of("https://panel.sendcloud.sc/api/v2/parcels?cursor=cD0y").as_deref(),
            Some("cD0y")
        );
        assert_eq!(next_cursor_of("https://x/api/v2/parcels?page=2"), None);
        assert_eq!(next_cursor_of(""), None);
    }

    #[test]
    fn cursor_replaced() {
        let base = Url::parse("http://x/api/v2/parcels?updated_after=a&cursor=old").unwrap();
        assert_eq!(
            with_cursor(&base, Some("new")).as_str(),
            "http://x/api/v2/parcels?updated_after=a&cursor=new"
        );
    }
}
