// Eleventy settings for bench/compare.py: the same site as sitegen's (10 posts a page, tag pages
// of 10, Atom feeds of 20 items for the whole site and each tag, posts at /posts/SLUG/), with
// the minimal Nunjucks layouts beside this file. Markdown is markdown-it, as Eleventy ships it,
// without a syntax highlighting plugin (sitegen and Pelican highlight code blocks with Pygments),
// which only lightens Eleventy's work. Each choice below is the quicker of the usual ways.
import markdownIt from "markdown-it";

const PER_PAGE = 10;
const FEED_ITEMS = 20;

export default function (eleventyConfig) {
  const markdown = markdownIt({ html: true });
  eleventyConfig.setLibrary("md", markdown);
  // A listing shows what comes before <!-- more -->, as sitegen, Pelican and Hugo do.
  eleventyConfig.setFrontMatterParsingOptions({
    excerpt: true,
    excerpt_separator: "<!-- more -->",
  });
  eleventyConfig.addFilter("markdown", (text) => markdown.render(text || ""));
  eleventyConfig.addFilter("newest", (posts, count) => posts.slice(-count).reverse());
  // A post's neighbours through an index made once: Eleventy's getPreviousCollectionItem and
  // getNextCollectionItem search the whole collection for every page.
  const positions = new WeakMap();
  const neighbour = (collection, page, step) => {
    if (!positions.has(collection)) {
      positions.set(collection, new Map(collection.map((item, index) => [item.inputPath, index])));
    }
    const index = positions.get(collection).get(page.inputPath);
    return index === undefined ? undefined : collection[index + step];
  };
  eleventyConfig.addFilter("newer", (collection, page) => neighbour(collection, page, 1));
  eleventyConfig.addFilter("older", (collection, page) => neighbour(collection, page, -1));

  const posts = (api) => api.getFilteredByGlob("posts/*.md");
  const slugify = eleventyConfig.getFilter("slugify");
  const byTag = (api) => {
    const tags = new Map();
    for (const post of posts(api)) {
      for (const tag of post.data.tags || []) {
        if (!tags.has(tag)) tags.set(tag, []);
        tags.get(tag).push(post);
      }
    }
    return [...tags].sort(([a], [b]) => a.localeCompare(b));
  };
  eleventyConfig.addCollection("posts", posts);
  eleventyConfig.addCollection("tagList", (api) =>
    byTag(api).map(([tag, tagged]) => ({
      tag,
      slug: slugify(tag),
      count: tagged.length,
      newest: tagged.slice(-FEED_ITEMS).reverse(),
    })),
  );
  eleventyConfig.addCollection("tagPages", (api) => {
    const pages = [];
    for (const [tag, tagged] of byTag(api)) {
      const newestFirst = tagged.slice().reverse();
      const count = Math.ceil(newestFirst.length / PER_PAGE);
      for (let number = 1; number <= count; number++) {
        const items = newestFirst.slice((number - 1) * PER_PAGE, number * PER_PAGE);
        pages.push({ tag, slug: slugify(tag), number, count, posts: items });
      }
    }
    return pages;
  });

  return {
    dir: { input: ".", output: "_site" },
    markdownTemplateEngine: false, // the posts are plain Markdown, as they are for sitegen
    htmlTemplateEngine: "njk",
  };
}
