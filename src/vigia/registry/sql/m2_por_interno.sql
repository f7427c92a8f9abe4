-- m2_por_interno (IOP.01.01): metros cuadrados por persona privada de libertad en D. Numerador: área
-- (area_m2 vigente) de los EP cuya área se conoce; denominador: la poblacion de esos mismos EP. Un EP
-- sin área conocida no entra ni en el numerador ni en el denominador de su oficina ni de la nación.
SELECT fecha, codigo, '' AS sexo,
       any_value(area_m2) AS numerador,
       CASE WHEN any_value(area_m2) IS NOT NULL THEN sum(abiertas) END AS denominador
FROM ocupacion
WHERE tipo = 'EP'
GROUP BY fecha, codigo
