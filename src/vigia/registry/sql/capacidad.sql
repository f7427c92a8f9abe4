-- capacidad: capacidad de albergue de los EP vigente en la fecha D (fila de establecimientos con el
-- «desde» más reciente que no sea posterior a D; ver vigencia.sql). Las oficinas y la nación suman
-- la de sus EP.
SELECT fecha, codigo, '' AS sexo, capacidad AS numerador, NULL AS denominador
FROM vigencia
WHERE tipo = 'EP'
