import { PostList } from "./PostList";

export default function Queue() {
  return <PostList list="queue" />;
}
