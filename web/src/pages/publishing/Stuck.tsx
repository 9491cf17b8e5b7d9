import { PostList } from "./PostList";

export default function Stuck() {
  return <PostList list="stuck" />;
}
