import { PostList } from "./PostList";

export default function Published() {
  return <PostList list="published" />;
}
