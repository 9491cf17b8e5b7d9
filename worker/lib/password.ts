import bcrypt from "bcryptjs";

// Cost 10 measured at ~80 ms in workerd: needs the Workers Paid plan's CPU budget.
const COST = 10;

export const hashPassword = (password: string) => bcrypt.hash(password, COST);
export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);

// A fixed hash to compare against when the account does not exist, so that the time a failed
// login takes does not reveal whether the email is registered.
const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.l1bF1cvRjRYQtbnwUHh8yK8yJY8a";
export const burnPasswordCheck = (password: string) => bcrypt.compare(password, DUMMY_HASH);
