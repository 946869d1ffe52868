"""汇总公示 and 通报表扬: selection, publication, objections, approval, commendation."""
