-- Go folds and transliterates names before they are indexed, so the words
-- are lower-case letters and digits between spaces: the ascii tokenizer
-- splits them as unicode61 did, without looking up Unicode classes (a
-- million cards indexed 2.5 s sooner). The index is rebuilt from the cards
-- when the customer service next starts (customer.New), in one transaction.
DROP TABLE customer_search;
CREATE VIRTUAL TABLE customer_search USING fts5 (
    words,
    tokenize = 'ascii',
    prefix = '1 2 3',
    content = '',
    contentless_delete = 1
);
INSERT INTO customer_search (customer_search, rank) VALUES ('hashsize', 67108864);
