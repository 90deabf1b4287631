// Every post: the post layout, at /posts/SLUG/ (a function: the posts' Markdown is not
// run through a template language, so a templated permalink would stay as it is written).
export default {
  layout: "post.njk",
  eleventyComputed: {
    permalink: (data) => `posts/${data.page.fileSlug}/index.html`,
  },
};
